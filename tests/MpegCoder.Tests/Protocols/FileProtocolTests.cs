using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>Local files, as a plain path and as a file: address.</summary>
public class FileProtocolTests
{
    [Fact]
    public void A_plain_path_is_read_whole()
    {
        var (clip, frames) = ProtocolAssert.Clip();
        using var client = ProtocolAssert.Open(clip, cacheSize: frames);
        ProtocolAssert.ReadsWholeFile(client, frames);
    }

    [Fact]
    public void A_file_address_is_read_whole()
    {
        var (clip, frames) = ProtocolAssert.Clip(container: "mkv");
        using var client = ProtocolAssert.Open("file:" + clip, cacheSize: frames);
        ProtocolAssert.ReadsWholeFile(client, frames);
    }
}
