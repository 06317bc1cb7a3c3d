using Microsoft.Extensions.Logging.Abstractions;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live;

/// <summary>
/// <see cref="ICameraRegistry.ReadNewestFrame"/> on a camera whose source is a file (its writer waits for
/// readers): the newest frame every time, and nothing taken from the stream's own readers.
/// </summary>
public class NewestFrameTests
{
    [Fact]
    public async Task ReadNewestFrame_of_a_file_camera_returns_the_newest_frame_and_takes_nothing()
    {
        using var registry = new CameraRegistry(NullLoggerFactory.Instance);
        try
        {
            registry.Apply(new MpegCoderOptions { Cameras = [new CameraOptions { Name = "clip", Address = Clips.BarcodeClip(seconds: 3) }] });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stream = await registry.WaitForStreamAsync("clip", timeout.Token) ?? throw new InvalidOperationException("the camera did not open");
            while (stream.NewestSequence < 1) await stream.WaitForNewFrameAsync(stream.NewestSequence, timeout.Token);

            var seen = new List<(long Read, long Newest, int Index)>();
            for (int i = 0; i < 3; i++)
            {
                var batch = registry.ReadNewestFrame("clip")!;
                Assert.Equal(1, batch.Count);
                var (top, bottom) = Barcode.ReadFrame(batch.Frame(0), batch.Width, batch.Height);
                Assert.Equal(top, bottom);
                seen.Add((batch.Metadata[0].Sequence, stream.NewestSequence, top));
                await Task.Delay(100); // room for a writer that a read had wrongly released
            }
            Assert.Equal(Enumerable.Repeat((1L, 1L, 1), 3), seen);

            // Two consumers: the registry's newest reads take none of an enumeration's frames.
            var reading = Task.Run(async () =>
            {
                var sequences = new List<long>();
                await foreach (var frame in stream.ReadFramesAsync(timeout.Token))
                    using (frame)
                    {
                        sequences.Add(frame.Metadata.Sequence);
                        if (sequences.Count == 75) break; // the file's end (the camera's policy would reopen it)
                    }
                return sequences;
            });
            while (!reading.IsCompleted) Assert.NotNull(registry.ReadNewestFrame("clip"));
            Assert.Equal(Enumerable.Range(0, 75).Select(i => (long)i), await reading);
        }
        finally
        {
            await registry.CloseAllAsync(CancellationToken.None);
        }
    }
}
