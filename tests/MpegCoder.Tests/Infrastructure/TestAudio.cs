namespace MpegCoder.Tests.Infrastructure;

/// <summary>The audio stream the live test source serves next to its video, as a camera with a microphone does.</summary>
public enum TestAudio
{
    /// <summary>Video only.</summary>
    None,

    /// <summary>AAC-LC, 48 kHz mono, 64 kbit/s (RTP mpeg4-generic).</summary>
    Aac,

    /// <summary>G.711 µ-law, 8 kHz mono, 20 ms packets (RTP PCMU).</summary>
    Mulaw,
}

/// <summary>How each <see cref="TestAudio"/> is made (ffmpeg), named to the relay, and seen by ffprobe.</summary>
public static class TestAudioFormats
{
    /// <summary>The value of rtsp_server.py's --audio and of serve-test-stream.sh's AUDIO.</summary>
    public static string ServerName(this TestAudio audio) => audio switch
    {
        TestAudio.None => "none",
        TestAudio.Aac => "aac",
        TestAudio.Mulaw => "mulaw",
        _ => throw new ArgumentOutOfRangeException(nameof(audio)),
    };

    /// <summary>ffprobe's codec_name of the served audio.</summary>
    public static string CodecName(this TestAudio audio) => audio switch
    {
        TestAudio.Aac => "aac",
        TestAudio.Mulaw => "pcm_mulaw",
        _ => throw new ArgumentOutOfRangeException(nameof(audio), "no audio"),
    };

    public static int SampleRate(this TestAudio audio) => audio switch
    {
        TestAudio.Aac => 48000,
        TestAudio.Mulaw => 8000,
        _ => throw new ArgumentOutOfRangeException(nameof(audio), "no audio"),
    };

    /// <summary>The lavfi source of the pusher's audio input: a 1 kHz tone, mono.</summary>
    public static string LavfiSource(this TestAudio audio) => audio switch
    {
        TestAudio.Aac => "sine=frequency=1000:sample_rate=48000",
        // 160 samples a frame: 20 ms packets, as cameras send G.711.
        TestAudio.Mulaw => "sine=frequency=1000:sample_rate=8000:samples_per_frame=160",
        _ => throw new ArgumentOutOfRangeException(nameof(audio), "no audio"),
    };

    /// <summary>
    /// The pusher's audio encoder options, up to "-f rtp". The relay expects what these produce: AAC in
    /// payload type 97 with the AudioSpecificConfig of 48 kHz mono AAC-LC, or PCMU (payload type 0).
    /// </summary>
    public static string[] EncoderArguments(this TestAudio audio) => audio switch
    {
        TestAudio.Aac => ["-c:a", "aac", "-b:a", "64k", "-ar", "48000", "-ac", "1", "-payload_type", "97"],
        TestAudio.Mulaw => ["-c:a", "pcm_mulaw", "-ar", "8000", "-ac", "1"],
        _ => throw new ArgumentOutOfRangeException(nameof(audio), "no audio"),
    };
}
