using System.Text.RegularExpressions;

namespace MpegCoder;

/// <summary>Hides the credentials of a stream address before it is printed anywhere.</summary>
internal static partial class AddressRedaction
{
    // Inside free text an address ends at white space or a quote, as FFmpeg prints it ('url' or url: ...).
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<userinfo>[^/?#\s'""]*)@")]
    private static partial Regex EmbeddedUserInfo();

    /// <summary>"rtsp://user:secret@cam/live" becomes "rtsp://***@cam/live".</summary>
    public static string Redact(string? address) => address is null ? "" : RedactText(address);

    /// <summary>Hides the credentials of every address inside <paramref name="text"/> (an FFmpeg log line, a message).</summary>
    public static string RedactText(string text) =>
        text.Contains("://", StringComparison.Ordinal) ? EmbeddedUserInfo().Replace(text, "${scheme}***@") : text;
}
