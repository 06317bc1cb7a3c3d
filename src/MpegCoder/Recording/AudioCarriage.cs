using MpegCoder.Encoders;

namespace MpegCoder.Recording;

/// <summary>
/// Whether a recording's container can carry the source's audio codec, where the muxer would not refuse it
/// itself. A muxer that cannot carry a codec refuses it when its header is written (MP4 and G.711, FLV and
/// Opus): the recorder then starts the file again without the audio. (avformat_query_codec is no guide:
/// Matroska answers no for G.711, which it carries.)
/// </summary>
internal static class AudioCarriage
{
    /// <summary>
    /// The audio codecs MPEG-TS has a stream type for. FFmpeg's MPEG-TS muxer does not refuse the others:
    /// it writes them as a private data stream that no player (nor FFmpeg itself) reads back as audio, G.711
    /// among them. So only these go into a TS file.
    /// </summary>
    private static readonly HashSet<string> MpegTsAudio = new(StringComparer.Ordinal)
    {
        "aac", "aac_latm", "mp2", "mp3", "ac3", "eac3", "dts", "truehd", "opus",
    };

    /// <summary>Why <paramref name="output"/> cannot carry the audio <paramref name="codec"/> (FFmpeg's name) though its muxer would take it, or null.</summary>
    public static string? WhyNot(VideoOutput output, string codec)
    {
        if (output.IsMuxer("mpegts") && !MpegTsAudio.Contains(codec)) return $"MPEG-TS has no stream type for {codec}";
        return null;
    }
}
