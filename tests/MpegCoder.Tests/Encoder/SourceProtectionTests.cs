using System.Globalization;
using System.Security.Cryptography;
using MpegCoder.Tests.Decoder;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Encoder;

/// <summary>
/// No output of the library opens for writing a file that an input of the process is reading, however
/// the path reaches it; the decoder's video stream bit rate (not its container's) is what an encoder copies;
/// MpegServer has the original's parameters.
/// </summary>
public class SourceProtectionTests : IDisposable
{
    private readonly TempFolder _folder = new("sources");

    public void Dispose() => _folder.Dispose();

    private string CopyOf(string clip, string name)
    {
        string path = _folder.File(name);
        File.Copy(clip, path);
        return path;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void An_encoder_given_a_decoders_configDict_refuses_to_overwrite_the_decoders_file()
    {
        string source = CopyOf(DecoderClips.Plain, "source.mp4");
        string before = Hash(source);
        using var d = new MpegDecoder();
        Assert.True(d.FFmpegSetup(source), d.LastError);

        using var e = new MpegEncoder();
        e.SetParameter(configDict: d.GetParameter()); // as from Python: the dictionary holds the decoder's videoPath
        Assert.False(e.FFmpegSetup());
        Assert.Contains("is being read", e.LastError, StringComparison.Ordinal);
        Assert.Equal(before, Hash(source));

        // The same file by another name: relative, file:, through a linked folder.
        string link = _folder.File("linked");
        Directory.CreateSymbolicLink(link, _folder.Path);
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, source);
        foreach (string alias in new[] { relative, "file:" + source, Path.Combine(link, "source.mp4") })
        {
            Assert.False(e.FFmpegSetup(alias), alias);
            Assert.Contains("is being read", e.LastError, StringComparison.Ordinal);
        }
        Assert.Equal(before, Hash(source));

        // Another file is fine, and once the decoder closes so is its file.
        e.SetParameter(videoPath: _folder.File("copy.mp4"));
        Assert.True(e.FFmpegSetup(), e.LastError);
        Assert.True(e.FFmpegClose(), e.LastError);
        d.Clear();
        Assert.True(e.FFmpegSetup(source), e.LastError);
        Assert.True(e.FFmpegClose(), e.LastError);
    }

    [Fact]
    public async Task A_server_to_a_file_and_a_recorder_refuse_a_file_a_client_or_a_stream_reads()
    {
        string source = CopyOf(Clips.BarcodeClip(2), "read.mp4");
        string before = Hash(source);

        using (var client = new MpegClient())
        {
            Assert.True(client.FFmpegSetup(source), client.LastError);
            using var server = new MpegServer();
            server.SetParameter(videoAddress: source, width: 320, height: 240);
            Assert.False(server.FFmpegSetup());
            Assert.Contains("is being read", server.LastError, StringComparison.Ordinal);
        }
        Assert.Equal(before, Hash(source));

        await using (var stream = await VideoStream.OpenAsync(source))
        {
            // The recorder opens its first file at once: the refusal is StartRecording's exception.
            var refused = Assert.Throws<RecordingException>(() => stream.StartRecording(new RecordingOptions { Path = source }));
            Assert.Contains("is being read", refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, Hash(source));
    }

    [Fact]
    public void An_encoder_copies_the_decoders_video_stream_bit_rate_not_the_containers()
    {
        string path = DecoderClips.AudioFirst; // AAC audio and H.264 video in one MP4
        string Probe(string entries, string? stream) => ExternalTool.RunChecked(ExternalTool.Require("ffprobe", "ffmpeg"),
            ["-v", "error", .. stream is null ? Array.Empty<string>() : ["-select_streams", stream], "-show_entries", entries, "-of", "csv=p=0", path],
            TimeSpan.FromMinutes(1)).StdOutText.Trim();
        long video = long.Parse(Probe("stream=bit_rate", "v:0"), CultureInfo.InvariantCulture);
        long container = long.Parse(Probe("format=bit_rate", null), CultureInfo.InvariantCulture);
        Assert.NotEqual(video, container);

        using var d = new MpegDecoder();
        Assert.True(d.FFmpegSetup(path), d.LastError);
        Assert.Equal((int)video, d.GetParameter("bitRate"));
        using var client = new MpegClient();
        Assert.True(client.FFmpegSetup(path), client.LastError);
        Assert.Equal((int)video, client.GetParameter("bitRate"));

        using var e = new MpegEncoder();
        e.SetParameter(decoder: d);
        Assert.Equal(video / 1024.0, (double)e.GetParameter("bitRate")!, 6);
        using var s = new MpegServer();
        s.SetParameter(decoder: client);
        Assert.Equal(video / 1024.0, (double)s.GetParameter("bitRate")!, 6);
    }

    [Fact]
    public void MpegServer_has_the_originals_frameAhead_ptsAhead_waitRef_and_formatName()
    {
        using var s = new MpegServer();
        Assert.Equal(20, s.GetParameter("frameAhead"));
        Assert.Equal(20L, s.GetParameter("ptsAhead"));
        Assert.Equal(0.0, s.GetParameter("waitRef"));
        Assert.Equal("", s.GetParameter("formatName"));
        s.SetParameter(videoAddress: "rtmp://127.0.0.1/live/x");
        Assert.Equal("rtmp", s.GetParameter("formatName"));
        Assert.Equal(20, s.GetParameter("frameAhead")); // an address alone keeps the allowance
        s.SetParameter(GOPSize: 12, frameRate: (25, 1)); // a frame rate sets it to 2 x GOPSize, as in the original
        Assert.Equal(24, s.GetParameter("frameAhead"));
        Assert.Equal(24L, s.GetParameter("ptsAhead"));
        var all = s.GetParameter();
        Assert.Equal("rtmp", all["formatName"]);
        Assert.Equal(24L, all["ptsAhead"]);

        // waitRef: how long ServeFrameBlock would wait now; a burst of 20 frames at 25 fps runs ~0.8 s ahead.
        int port = RtspTestServer.ReservePort(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        s.SetParameter(videoAddress: $"udp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", width: 160, height: 120, frameAhead: 30);
        Assert.True(s.FFmpegSetup(), s.LastError);
        Assert.Equal("udp", s.GetParameter("formatName"));
        var picture = Barcode.Render(0, 160, 120);
        for (int i = 0; i < 20; i++) Assert.True(s.ServeFrame(picture.AsSpan()), s.LastError);
        Assert.InRange((double)s.GetParameter("waitRef")!, double.Epsilon, 0.8);
        Assert.True(s.FFmpegClose(), s.LastError);
        Assert.Equal(0.0, s.GetParameter("waitRef"));
    }
}
