using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// <see cref="StreamRecorder"/> on the live barcode: onto a disk that fills (the recorder fails with the
/// system's reason within its I/O timeout + 1 s of the disk filling, the stream goes on decoding, and the
/// segments finished before decode whole with the ffmpeg CLI), and relaying to an RTMP server whose
/// connection is reset or stalls (the recorder fails with the reason; Dispose returns within 1 s); fds and
/// connections come back every time.
/// </summary>
[Collection(nameof(FaultCollection))]
public class RecorderFaultTests(FaultServers servers, ITestOutputHelper output)
{
    /// <summary>RecordingOptions.IoTimeout for these tests.</summary>
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FailBound = IoTimeout + Bounded.Slack;

    private VideoStream OpenLive()
    {
        string url = servers.Rtsp.Url; // starts the server on first use, outside the bound
        var (stream, _) = Bounded.Call("OpenAsync", TimeSpan.FromSeconds(10), () => VideoStream.OpenAsync(url,
            new StreamOptions { RtspTransport = RtspTransport.Tcp, FFmpegOptions = Protocols.ProtocolAssert.QuickProbe }).GetAwaiter().GetResult());
        return stream;
    }

    private static Exception? Failure(StreamRecorder recorder) => recorder.Completion.Exception?.InnerException;

    [Fact]
    public void Recording_onto_a_disk_that_fills_fails_with_the_reason_while_the_stream_goes_on()
    {
        var stream = OpenLive();
        var before = OpenResources.Now(servers.Rtsp.Port);
        IReadOnlyList<RecordedFile> files;
        using (var disk = new SmallDisk(96 * 1024))
        {
            var recorder = stream.StartRecording(new RecordingOptions
            {
                Path = disk.File("seg-{1:000}.ts"),
                SegmentDuration = TimeSpan.FromSeconds(1),
                IoTimeout = IoTimeout,
            });
            var full = new DriveInfo(disk.Path);
            // The barcode costs about 10 KB/s: the disk fills within seconds.
            Assert.True(Bounded.Until(() => full.AvailableFreeSpace < 8 * 1024 || recorder.Completion.IsCompleted, TimeSpan.FromSeconds(20)),
                $"the disk did not fill: {full.AvailableFreeSpace} bytes free");
            var filled = System.Diagnostics.Stopwatch.StartNew();
            Assert.True(Bounded.Until(() => recorder.Completion.IsCompleted, FailBound + TimeSpan.FromSeconds(5)),
                $"the recorder still runs {filled.Elapsed.TotalSeconds:0.0} s after the disk filled, {recorder.Files.Count} files, {recorder.Statistics.PacketsWritten} packets written");
            Assert.True(filled.Elapsed <= FailBound, $"the recorder failed {filled.Elapsed.TotalSeconds:0.0} s after the disk filled");
            Assert.True(recorder.Completion.IsFaulted, $"Completion {recorder.Completion.Status}");
            Assert.IsType<RecordingException>(Failure(recorder));
            Assert.Contains("No space left on device", Failure(recorder)!.Message);
            output.WriteLine($"failed {filled.Elapsed.TotalSeconds:0.00} s after the disk filled: {Failure(recorder)!.Message}");

            // The stream goes on decoding.
            Assert.NotEqual(StreamState.Closed, stream.State);
            long stored = stream.Statistics.FramesStored;
            Assert.True(Bounded.Until(() => stream.Statistics.FramesStored >= stored + 10, TimeSpan.FromSeconds(3)), "the stream stopped decoding with its recorder");

            files = recorder.Files;
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                // Each finished segment decodes whole: consecutive barcode indices, about its duration's worth of frames.
                var indices = EncoderFaultTests.DecodedIndices(file.Path, FaultServers.Width, FaultServers.Height);
                Assert.True(indices.Count >= FaultServers.Fps / 2, $"{file.Path}: {indices.Count} frames");
                Assert.Equal(Enumerable.Range(indices[0], indices.Count), indices);
                Assert.True(indices.Count >= file.Packets - 1, $"{file.Path}: {file.Packets} packets recorded, {indices.Count} frames decode");
            }
            output.WriteLine($"{files.Count} finished files decode whole");
            Bounded.Call("recorder Dispose", FaultMatrix.Stop, recorder.Dispose);
        }
        Bounded.Call("stream Dispose", FaultMatrix.Stop, stream.Dispose);
        Bounded.Released(before, servers.Rtsp.Port, "a recorder after a full disk");
    }

    [Theory]
    [InlineData(ProxyFault.Cut)]
    [InlineData(ProxyFault.Stall)]
    public void A_relay_whose_server_fails_ends_with_the_reason_and_Dispose_returns_at_once(ProxyFault fault)
    {
        var stream = OpenLive();
        using var proxy = new FaultProxy(servers.Nginx.RtmpPort, fault, receiveBufferSize: 4096);
        var before = OpenResources.Now(proxy.Port);
        var recorder = stream.StartRecording(new RecordingOptions
        {
            Path = proxy.Route(servers.Nginx.RtmpUrl("relay" + Guid.NewGuid().ToString("N")[..8])),
            IoTimeout = IoTimeout,
        });
        Assert.True(Bounded.Until(() => recorder.Statistics.PacketsWritten >= 25, TimeSpan.FromSeconds(10)), $"nothing relayed: {Failure(recorder)?.Message}");
        proxy.Fire();
        if (fault == ProxyFault.Cut)
        {
            Assert.True(Bounded.Until(() => recorder.Completion.IsCompleted, FailBound),
                $"the relay still runs {proxy.SinceFired.TotalSeconds:0.0} s after its connection was reset");
            Assert.IsType<RecordingException>(Failure(recorder));
            output.WriteLine($"failed {proxy.SinceFired.TotalSeconds:0.00} s after the reset: {Failure(recorder)!.Message}");
        }
        else
        {
            Thread.Sleep(1500); // the writes fill the buffers toward the stalled server
        }
        Bounded.Call("recorder Dispose", FaultMatrix.Stop, recorder.Dispose);
        Assert.True(recorder.Completion.IsCompleted, "Completion after Dispose");
        Assert.NotEqual(StreamState.Closed, stream.State);
        Bounded.Call("stream Dispose", FaultMatrix.Stop, stream.Dispose);
        proxy.Dispose();
        Bounded.Released(before, proxy.Port, $"a relay after a {fault}");
    }
}
