using System.Text.RegularExpressions;

namespace MpegCoder;

/// <summary>Hides the credentials of a stream address before it is printed anywhere.</summary>
internal static partial class AddressRedaction
{
    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<userinfo>[^/?#]*)@")]
    private static partial Regex UserInfo();

    /// <summary>"rtsp://user:secret@cam/live" becomes "rtsp://***@cam/live".</summary>
    public static string Redact(string? address) =>
        address is null ? "" : UserInfo().Replace(address, "${scheme}***@", 1);

    /// <summary>Replaces every occurrence of <paramref name="address"/> in <paramref name="text"/> with its redacted form.</summary>
    public static string RedactIn(string text, string address)
    {
        string redacted = Redact(address);
        return redacted == address ? text : text.Replace(address, redacted, StringComparison.Ordinal);
    }
}
