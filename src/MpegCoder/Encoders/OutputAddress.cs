using MpegCoder.Recording;
namespace MpegCoder.Encoders;

/// <summary>
/// Where an output goes, from its address alone: a network push (its container and the protocol's
/// options) or a file (the container from the file's extension). Shared by MpegServer and StreamRecorder.
/// </summary>
internal static class OutputAddress
{
    /// <summary>The scheme in lower case ("rtmp"), or "" for a plain path.</summary>
    public static string Scheme(string address)
    {
        int end = address.IndexOf("://", StringComparison.Ordinal);
        return end > 0 ? address[..end].ToLowerInvariant() : "";
    }

    /// <summary>Whether <paramref name="address"/> is a stream pushed to a server rather than a file.</summary>
    public static bool IsPush(string address) => Scheme(address) is not ("" or "file");

    /// <summary>
    /// The container and options an address needs: FLV for rtmp and http, RTSP publishing over TCP for rtsp,
    /// MPEG-TS for srt, udp and tcp; null (the file's extension chooses) otherwise.
    /// </summary>
    public static (string? format, IReadOnlyDictionary<string, string>? options) ContainerFor(string address) => Scheme(address) switch
    {
        "rtsp" => ("rtsp", new Dictionary<string, string> { ["rtsp_transport"] = "tcp" }),
        "rtmp" or "rtmps" or "http" or "https" => ("flv", null),
        "srt" or "udp" or "tcp" => ("mpegts", null),
        _ => (null, null),
    };
}
