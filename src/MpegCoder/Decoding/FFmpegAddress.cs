using System.Text.RegularExpressions;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder.Decoding;

/// <summary>
/// The address as FFmpeg needs it. FFmpeg percent-decodes the user and password of http, rtsp and ftp
/// addresses itself, but its sftp protocol (libssh) takes them verbatim, so "sftp://me:p%40ss@host/f"
/// would send the password "p%40ss". For sftp the credentials are decoded here; FFmpeg splits them at the
/// last '@' before the path and at ':', so a decoded '@' or '%' passes, while ':', '/', '?' or '#' cannot.
/// With a "private_key" option the password is the key's passphrase, checked first where FFmpeg
/// would crash on a wrong one (<see cref="SftpKey"/>).
/// </summary>
internal static partial class FFmpegAddress
{
    [GeneratedRegex(@"^(?<scheme>sftp://)(?<user>[^/?#:@]*)(:(?<password>[^/?#@]*))?@(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SftpCredentials();

    /// <summary>The address to hand to avformat_open_input with <paramref name="options"/>.</summary>
    /// <exception cref="StreamOpenException">An sftp credential holds a character FFmpeg cannot take, or
    /// its key cannot be loaded with its passphrase where FFmpeg would crash on that (the message names no credential).</exception>
    public static string Of(string address, IReadOnlyDictionary<string, string>? options)
    {
        if (!address.StartsWith("sftp://", StringComparison.OrdinalIgnoreCase)) return address;
        var match = SftpCredentials().Match(address);
        string? password = null;
        string result = address;
        if (match.Success)
        {
            string user = Uri.UnescapeDataString(match.Groups["user"].Value);
            password = match.Groups["password"].Success ? Uri.UnescapeDataString(match.Groups["password"].Value) : null;
            if (user.IndexOfAny(Unusable) >= 0 || password?.IndexOfAny(Unusable) >= 0)
                throw new StreamOpenException("FFmpeg's sftp protocol cannot take a user or password containing ':', '/', '?' or '#'");
            result = $"{match.Groups["scheme"].Value}{user}{(password is null ? "" : ":" + password)}@{match.Groups["rest"].Value}";
        }
        // Also without credentials in the address: FFmpeg then loads the key with no passphrase.
        if (options is not null && options.TryGetValue("private_key", out var keyFile))
            SftpKey.CheckBeforeFFmpeg(keyFile, password);
        return result;
    }

    private static readonly char[] Unusable = [':', '/', '?', '#'];
}
