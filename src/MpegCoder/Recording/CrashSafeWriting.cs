using MpegCoder.Encoders;

namespace MpegCoder.Recording;

/// <summary>
/// The muxer options that let a recording cut short (the process killed, the power lost) play up to about
/// one second before the cut, chosen by what the output's muxer has, so every FFmpeg from 4.3 takes them:
/// MP4 and MOV fragmented at keyframes and at least every second, with the index of each fragment in the
/// fragment; Matroska clusters closed at least every second; every packet handed to the system at once.
/// </summary>
/// <remarks>
/// An MP4 without fragments keeps its whole index in memory until the trailer: cut short, it does not
/// play at all. A fragmented one needs no trailer to play; the trailer (an index of the fragments, mfra)
/// gives a finished file its seeking. delay_moov writes the header with the first fragment, from the
/// first packets, so a source whose stream parameters come in-band still gets a playable header.
/// </remarks>
internal static class CrashSafeWriting
{
    /// <summary>The longest a fragment or a cluster lasts, so the most a cut file loses besides the packets not yet written.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>The options for <paramref name="output"/>, a file's (not yet started) output.</summary>
    public static IEnumerable<KeyValuePair<string, string>> OptionsFor(VideoOutput output)
    {
        // Without it a muxer's output waits in FFmpeg's 32 KiB buffer: seconds of a camera's video.
        yield return new("flush_packets", "1");
        if (output.HasOption("movflags"))
        {
            yield return new("movflags", "+frag_keyframe+empty_moov+default_base_moof+delay_moov");
            yield return new("frag_duration", ((long)FlushInterval.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (output.HasOption("cluster_time_limit"))
            yield return new("cluster_time_limit", ((long)FlushInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
