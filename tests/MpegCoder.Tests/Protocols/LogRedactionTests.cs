using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Protocols;

/// <summary>Runs alone: these tests raise the process-wide dump level and capture standard error.</summary>
[CollectionDefinition(nameof(GlobalLogCollection), DisableParallelization = true)]
public sealed class GlobalLogCollection;

/// <summary>At the most detailed dump level, neither FFmpeg's log nor MpegCoder's own lines show credentials.</summary>
[Collection(nameof(GlobalLogCollection))]
public class LogRedactionTests
{
    [Fact]
    public void Addresses_inside_a_log_line_lose_their_credentials()
    {
        Assert.Equal("[tcp @ 0x1] Opening 'rtsp://***@cam:554/live' for reading, then sftp://***@h/f: x",
            AddressRedaction.RedactText("[tcp @ 0x1] Opening 'rtsp://us%40er:p%3A@cam:554/live' for reading, then sftp://me:p@ss%w@h/f: x"));
        Assert.Equal("no address here", AddressRedaction.RedactText("no address here"));
    }

    [Fact]
    public void SetGlobal_without_an_argument_changes_nothing_as_in_the_original()
    {
        try
        {
            MpegCoderGlobal.SetGlobal(dumpLevel: 1);
            MpegCoderGlobal.SetGlobal();
            Assert.Equal(1, MpegCoderGlobal.DumpLevel);
            Assert.Throws<ArgumentOutOfRangeException>(() => MpegCoderGlobal.SetGlobal(3));
            Assert.Equal(1, MpegCoderGlobal.DumpLevel);
        }
        finally
        {
            MpegCoderGlobal.SetGlobal(dumpLevel: 0);
        }
    }

    [Fact]
    public void Dump_level_2_prints_ffmpegs_log_without_the_credentials()
    {
        const string user = "lo@g", password = "pa:ss@w%rd";
        using var ftp = FtpServer.Start(user, password);
        using var rtsp = RtspTestServer.Start(credentials: (user, password));
        using var nginx = NginxServer.Start();
        string clip = ftp.Serve(Clips.BarcodeClip(seconds: 2));
        // FFmpeg's HLS demuxer prints each segment's address, credentials included ("Opening '...' for reading").
        string hls = nginx.PrivateUrl(nginx.ServeHls(Clips.BarcodeClip(seconds: 2), "hls"));
        var captured = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            MpegCoderGlobal.SetGlobal(dumpLevel: 2);
            using var client = new MpegClient();
            Assert.True(client.FFmpegSetup(clip), client.LastError);
            Assert.True(client.Start());
            Assert.True(client.FFmpegSetup(rtsp.AuthenticatedUrl), client.LastError);
            Assert.True(client.FFmpegSetup(hls), client.LastError);
            Assert.True(client.Start());
            Frames.WaitUntil(() => client.ExtractFrame() is null, TimeSpan.FromSeconds(20), "the end of the playlist");
            Assert.False(client.FFmpegSetup(ftp.Url("missing.mp4", password)));
            Assert.False(client.FFmpegSetup(rtsp.AuthenticatedUrl.Replace("@127.0.0.1", "x@127.0.0.1", StringComparison.Ordinal)));
        }
        finally
        {
            MpegCoderGlobal.SetGlobal(dumpLevel: 0);
            Console.SetError(stderr);
        }
        string log = captured.ToString();
        Assert.Contains("Input #0", log);          // FFmpeg's format dump was printed
        Assert.Contains("ftp://***@127.0.0.1", log);
        Assert.Contains("rtsp://***@127.0.0.1", log);
        Assert.Contains("Opening 'http://***@127.0.0.1", log); // FFmpeg's own line, redacted
        ProtocolAssert.HidesSecrets(log, user, password, NginxServer.User, NginxServer.Password);
    }
}
