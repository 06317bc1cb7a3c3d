using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

/// <summary>
/// Declarations only: the two libssh functions that check an SFTP key's passphrase before FFmpeg
/// sees it (see <see cref="Decoding.SftpKey"/>). libssh is not one of the libraries MpegCoder loads:
/// it is the file FFmpeg's libavformat is linked with for sftp, reached by its name.
/// </summary>
#pragma warning disable CS8981 // the C library's lower-case name, as for ffmpeg
internal static unsafe class libssh
{
    /// <summary>Debian's name (the gcrypt flavour its FFmpeg is linked with), then the upstream name.</summary>
    private static readonly string[] FileNames = ["libssh-gcrypt.so.4", "libssh.so.4"];

    private static readonly Lazy<(nint import, nint free)> Exports = new(Load);

    /// <summary>Whether a libssh could be loaded (false where FFmpeg was built without sftp).</summary>
    public static bool IsAvailable => Exports.Value.import != 0;

    /// <summary>int ssh_pki_import_privkey_file(const char *filename, const char *passphrase, ssh_auth_callback auth_fn, void *auth_data, ssh_key *pkey): 0 (SSH_OK) or an error.</summary>
    public static int ssh_pki_import_privkey_file(byte* filename, byte* passphrase, void* auth_fn, void* auth_data, nint* pkey) =>
        ((delegate* unmanaged[Cdecl]<byte*, byte*, void*, void*, nint*, int>)Exports.Value.import)(filename, passphrase, auth_fn, auth_data, pkey);

    /// <summary>void ssh_key_free(ssh_key key).</summary>
    public static void ssh_key_free(nint key) => ((delegate* unmanaged[Cdecl]<nint, void>)Exports.Value.free)(key);

    private static (nint, nint) Load()
    {
        foreach (var name in FileNames)
            if (NativeLibrary.TryLoad(name, out var handle)
                && NativeLibrary.TryGetExport(handle, "ssh_pki_import_privkey_file", out var import)
                && NativeLibrary.TryGetExport(handle, "ssh_key_free", out var free))
                return (import, free);
        return (0, 0);
    }
}
