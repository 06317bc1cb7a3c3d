using MpegCoder.Interop;
using MpegCoder.Streaming;

namespace MpegCoder.Decoding;

/// <summary>
/// The sftp protocol of FFmpeg 4.x and 5.1 loads the key of its "private_key" option with the address's
/// password as passphrase and, when that fails (a wrong passphrase, or none for an encrypted key), logs in
/// with the missing key anyway: a segmentation fault that ends the whole process. FFmpeg 7.1, 8.1 and 9.0
/// answer "Permission denied" instead. On the releases that crash
/// (<see cref="Interop.Layouts.FFmpegRelease.SftpCrashesOnUnloadableKey"/>) the key is therefore loaded
/// here first, with the same libssh and the same passphrase, and a key that does not load is refused
/// with a clear error.
/// </summary>
internal static unsafe class SftpKey
{
    /// <summary>Throws when FFmpeg would crash on this key and passphrase; does nothing elsewhere.</summary>
    /// <param name="keyFile">The "private_key" option.</param>
    /// <param name="passphrase">The address's (decoded) password, or null when it has none.</param>
    /// <exception cref="StreamOpenException">The key cannot be loaded with this passphrase.</exception>
    public static void CheckBeforeFFmpeg(string keyFile, string? passphrase)
    {
        var release = FFmpegLoader.Release;
        if (!release.SftpCrashesOnUnloadableKey || !libssh.IsAvailable) return;
        // A key file FFmpeg cannot read makes it answer "Permission denied" without a crash.
        if (!File.Exists(keyFile)) return;
        if (!Loads(keyFile, passphrase))
            throw new StreamOpenException(passphrase is null
                ? $"the sftp private key is encrypted and the address gives no passphrase (its password); FFmpeg {release.Name} would crash on it, so it is not opened"
                : $"the sftp private key cannot be decrypted with the address's password as passphrase; FFmpeg {release.Name} would crash on it, so it is not opened");
    }

    private static bool Loads(string keyFile, string? passphrase)
    {
        nint key = 0;
        fixed (byte* file = CString.From(keyFile))
        fixed (byte* secret = passphrase is null ? null : CString.From(passphrase))
        {
            int ret = libssh.ssh_pki_import_privkey_file(file, secret, null, null, &key);
            if (key != 0) libssh.ssh_key_free(key);
            return ret == 0;
        }
    }
}
