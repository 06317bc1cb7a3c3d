using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using Xunit;

namespace MpegCoder.Tests.Recording;

/// <summary>
/// A recorder writing 2 s segments of the live barcode stream onto a small file system of its own that
/// fills: the first failed write or trailer ends the recorder with the system's reason, the stream goes
/// on decoding, and every file finished before is whole.
/// </summary>
public class RecorderFullDiskTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private readonly RtspTestServer _server = fixture.Server;

    /// <summary>Fills <paramref name="disk"/> but for about <paramref name="free"/> bytes.</summary>
    internal static void FillAllBut(SmallDisk disk, long free)
    {
        using var filler = new FileStream(disk.File("filler"), FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var block = new byte[4096];
        try
        {
            for (long left = disk.Size - free; left > 0; left -= block.Length) filler.Write(block);
            filler.Flush();
        }
        catch (IOException)
        {
            // Full already: free is 0.
        }
    }

    [Theory]
    [InlineData("mp4")]
    [InlineData("ts")]
    [InlineData("mkv")]
    public async Task A_disk_that_fills_fails_the_recorder_with_the_systems_reason_while_the_stream_goes_on_decoding(string container)
    {
        using var disk = new SmallDisk(1 << 20);
        FillAllBut(disk, 48 << 10); // a few 2 s segments of the barcode stream (10-20 KB each)
        await using var stream = await VideoStream.OpenAsync(_server.Url, new StreamOptions { RtspTransport = RtspTransport.Tcp });
        Assert.True(await stream.WaitForNewFrameAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = disk.File($"seg-{{1:000}}.{container}"),
            SegmentDuration = TimeSpan.FromSeconds(2),
        });

        var e = await Assert.ThrowsAsync<RecordingException>(() => recorder.Completion.WaitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains("No space left on device", e.Message);
        Assert.Null(recorder.CurrentPath);

        // The stream goes on: fresh frames after the failure.
        int before = RecordedClip.NewestIndex(stream);
        await Task.Delay(1000);
        int after = RecordedClip.NewestIndex(stream);
        Assert.True(after >= before + 15, $"the stream stalled after the recorder failed: {before} -> {after}");
        Assert.Equal(StreamState.Streaming, stream.State);

        // Every file finished before the disk filled is whole.
        Assert.NotEmpty(recorder.Files);
        foreach (var file in recorder.Files)
        {
            var frames = RecordedClip.Frames(file.Path);
            RecordedClip.AssertConsecutive(frames, Path.GetFileName(file.Path));
            Assert.Equal(file.Packets, frames.Count);
        }
        await Assert.ThrowsAsync<RecordingException>(recorder.StopAsync);
        await recorder.DisposeAsync();
    }
}
