using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Client;

/// <summary>
/// The ports' GetParameter(string) tables: the original's names, each value of its row's type before and
/// after setup, names matched as the original matches them, and an unknown name's error listing the table.
/// </summary>
public class PortParameterTests
{
    private static readonly string[] ClientNames = ["videoAddress", "width", "height", "frameCount", "coderName", "nthread", "duration",
        "estFrameNum", "srcFrameRate", "codecName", "bitRate", "GOPSize", "maxBframe", "widthDst", "heightDst", "frameRate", "readSize",
        "cacheSize", "dstFrameRate"];
    private static readonly string[] DecoderNames = ["videoPath", "width", "height", "frameCount", "coderName", "nthread", "duration",
        "estFrameNum", "avgFrameRate", "codecName", "bitRate", "GOPSize", "maxBframe", "GOPCount", "widthDst", "heightDst", "frameRate"];
    private static readonly string[] EncoderNames = ["videoPath", "codecName", "bitRate", "width", "height", "widthSrc", "heightSrc",
        "GOPSize", "maxBframe", "frameRate", "nthread", "encoderName", "pixelFormat", "frameCount"];
    private static readonly string[] ServerNames = ["videoAddress", .. EncoderNames[1..], "frameAhead", "ptsAhead", "waitRef", "formatName"];

    [Fact]
    public void The_tables_hold_the_originals_names()
    {
        Assert.Equal(ClientNames, MpegClient.Parameters.Rows.Select(r => r.Name));
        Assert.Equal(DecoderNames, MpegDecoder.Parameters.Rows.Select(r => r.Name));
        Assert.Equal(EncoderNames, MpegEncoder.Parameters.Rows.Select(r => r.Name));
        Assert.Equal(ServerNames, MpegServer.Parameters.Rows.Select(r => r.Name));
    }

    [Fact]
    public void Every_value_has_its_rows_type_before_and_after_setup()
    {
        string clip = Clips.BarcodeClip(1);
        using (var client = new MpegClient())
        {
            Check(client.GetParameter, MpegClient.Parameters.Rows);
            Assert.True(client.FFmpegSetup(clip), client.LastError);
            Check(client.GetParameter, MpegClient.Parameters.Rows);
            Assert.Equal(25, (int)client.GetParameter("estframenum")!);
        }
        using (var decoder = new MpegDecoder())
        {
            Check(decoder.GetParameter, MpegDecoder.Parameters.Rows);
            Assert.True(decoder.FFmpegSetup(clip), decoder.LastError);
            Check(decoder.GetParameter, MpegDecoder.Parameters.Rows);
        }
        string output = Path.Combine(Directory.CreateTempSubdirectory("mpegcoder-params").FullName, "out.mp4");
        try
        {
            using var encoder = new MpegEncoder();
            Check(encoder.GetParameter, MpegEncoder.Parameters.Rows);
            encoder.SetParameter(videoPath: output, codecName: "mpeg4", width: 64, height: 48, frameRate: (25, 1));
            Assert.True(encoder.FFmpegSetup(), encoder.LastError);
            Check(encoder.GetParameter, MpegEncoder.Parameters.Rows);
            Assert.IsType<string>(encoder.GetParameter("encoderName"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
        using var server = new MpegServer();
        Check(server.GetParameter, MpegServer.Parameters.Rows);
        server.SetParameter(videoAddress: "rtmp://127.0.0.1:1/live/x", width: 64, height: 48);
        Check(server.GetParameter, MpegServer.Parameters.Rows);
        Assert.Equal("rtmp", server.GetParameter("FORMATNAME"));
    }

    [Fact]
    public void An_unknown_name_is_refused_with_every_known_name()
    {
        using var client = new MpegClient();
        var error = Assert.Throws<ArgumentException>(() => client.GetParameter("frameCnt"));
        Assert.Contains("'frameCnt'", error.Message);
        Assert.Contains("Known: " + string.Join(", ", ClientNames) + ".", error.Message);
        using var server = new MpegServer();
        Assert.Contains("Known: " + string.Join(", ", ServerNames) + ".", Assert.Throws<ArgumentException>(() => server.GetParameter("x")).Message);
    }

    private static void Check<TPort>(Func<string, object?> get, IReadOnlyList<PortParameter<TPort>> rows)
    {
        foreach (var row in rows)
        {
            object? value = get(row.Name);
            Assert.True(value is null || row.Type.IsInstanceOfType(value), $"{row.Name} is {value?.GetType()}, not {row.Type}");
            Assert.Equal(value?.GetType(), get(row.Name.ToUpperInvariant())?.GetType());
        }
    }
}
