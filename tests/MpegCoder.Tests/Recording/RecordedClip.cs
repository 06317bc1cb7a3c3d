using MpegCoder.Tests.Encoder;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>A file a recorder wrote, read back with the ffmpeg CLI: whether its first packet is a keyframe, and every frame's barcode.</summary>
internal static class RecordedClip
{
    /// <summary>The flags of the file's first video packet as ffprobe prints them ("K__" for a keyframe).</summary>
    public static string FirstPacketFlags(string path)
    {
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        var probe = ExternalTool.RunChecked(ffprobe, ["-v", "error", .. MediaInput.FormatOf(path), "-select_streams", "v:0", "-show_entries", "packet=flags",
            "-read_intervals", "%+#1", "-of", "csv=p=0", path], TimeSpan.FromSeconds(30));
        return probe.StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
    }

    /// <summary>Asserts the file starts with a keyframe packet and returns its frames' barcode indices (each frame whole).</summary>
    public static IReadOnlyList<int> Frames(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        string flags = FirstPacketFlags(path);
        Assert.True(flags.StartsWith('K'), $"{Path.GetFileName(path)} starts with a packet flagged '{flags}', not a keyframe");
        return EncodedFile.Read(path).Indices;
    }

    /// <summary>The container's duration as ffprobe reads it (an MP4's from its index, fragmented or not).</summary>
    public static TimeSpan Duration(string path)
    {
        string ffprobe = ExternalTool.Require("ffprobe", "ffmpeg");
        var probe = ExternalTool.RunChecked(ffprobe, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], TimeSpan.FromSeconds(30));
        return TimeSpan.FromSeconds(double.Parse(probe.StdOutText.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The barcode of the frame the ffmpeg CLI shows first when it seeks to <paramref name="seconds"/> (an exact seek: it decodes from the keyframe before).</summary>
    public static int FrameAt(string path, double seconds)
    {
        string ffmpeg = ExternalTool.Require("ffmpeg", "ffmpeg");
        string at = seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        var decoded = ExternalTool.RunChecked(ffmpeg, ["-v", "error", "-ss", at, "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
            TimeSpan.FromSeconds(30));
        var (top, bottom) = Barcode.ReadFrame(decoded.StdOut, 320, 240);
        Assert.Equal(top, bottom);
        return top;
    }

    /// <summary>The types of an MP4 or MOV file's top-level boxes, in order ("ftyp", "moov", "moof", "mdat"...).</summary>
    public static IReadOnlyList<string> Boxes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var boxes = new List<string>();
        for (long at = 0; at + 8 <= bytes.Length;)
        {
            long size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)at, 4));
            boxes.Add(System.Text.Encoding.ASCII.GetString(bytes, (int)at + 4, 4));
            if (size == 1) size = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan((int)at + 8, 8));
            if (size < 8) break; // 0: to the end of the file
            at += size;
        }
        return boxes;
    }

    /// <summary>Asserts that <paramref name="indices"/> are consecutive: nothing lost, nothing twice.</summary>
    public static void AssertConsecutive(IReadOnlyList<int> indices, string what)
    {
        Assert.True(indices.Count > 0, $"{what}: no frames");
        var gaps = indices.Zip(indices.Skip(1)).Where(p => p.Second != p.First + 1).Take(10).ToList();
        Assert.True(gaps.Count == 0, $"{what}: {indices.Count} frames {indices[0]}..{indices[^1]} with breaks at {string.Join(", ", gaps.Select(g => $"{g.First}->{g.Second}"))}");
    }

    /// <summary>The live barcode stream over TCP, once its first frame is decoded.</summary>
    public static async Task<VideoStream> OpenLive(RtspTestServer server)
    {
        var stream = await VideoStream.OpenAsync(server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        Assert.True(await stream.WaitForNewFrameAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        return stream;
    }

    /// <summary>The barcode index of the newest frame a stream holds.</summary>
    public static int NewestIndex(VideoStream stream)
    {
        var batch = stream.ExtractFrames(1);
        Assert.Equal(1, batch.Count);
        var (top, bottom) = Barcode.ReadFrame(batch.Frame(0), stream.Width, stream.Height);
        Assert.Equal(top, bottom);
        return top;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails with <paramref name="what"/>.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}");
            Thread.Sleep(20);
        }
    }
}
