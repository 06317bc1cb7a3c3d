using System.Diagnostics;
using System.Diagnostics.Metrics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;
using MpegCoder.Tests.Recording;
using Xunit;

namespace MpegCoder.Tests.DotNet;

/// <summary>
/// The recording counters of the core meter, without the hosting package: one stream of the live barcode
/// server recorded by one recorder after another (files with retention, a push that fails, a folder that
/// does not exist, files again), each counter read by the stream's <c>camera</c> tag and compared with the
/// recorders' own statistics. The totals hold every recorder that ended, so they never go down. The
/// listener enables only observable instruments, whose callbacks run on this test's thread alone, so the
/// test need not run alone.
/// </summary>
public class RecordingMetricsTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    private static readonly string[] Names =
    [
        MpegCoderMetrics.RecordingBytes, MpegCoderMetrics.RecordingFiles, MpegCoderMetrics.RecordingPacketsDropped,
        MpegCoderMetrics.RecordingFilesDeleted, MpegCoderMetrics.RecordingFailures,
    ];

    /// <summary>The recording counters of one camera, read on demand.</summary>
    private sealed class RecordingCounters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _seen = [];
        private readonly Dictionary<string, long> _last = [];

        public RecordingCounters(string camera)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MpegCoderMetrics.MeterName && Names.Contains(instrument.Name)) l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                foreach (var tag in tags)
                    if (tag.Key == MpegCoderMetrics.CameraTag && (string?)tag.Value == camera)
                    {
                        Assert.False(_seen.ContainsKey(instrument.Name), $"{instrument.Name} measured twice for {camera}");
                        _seen[instrument.Name] = value;
                    }
            });
            _listener.Start();
        }

        /// <summary>The counters now (none for a stream that never recorded); asserts that none went down since the last read.</summary>
        public IReadOnlyDictionary<string, long> Read()
        {
            _seen.Clear();
            _listener.RecordObservableInstruments();
            foreach (var (name, value) in _seen)
            {
                long before = _last.GetValueOrDefault(name);
                Assert.True(value >= before, $"{name} went down: {before} -> {value}");
                _last[name] = value;
            }
            return new Dictionary<string, long>(_seen);
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>The statistics of several recorders, summed as the counters sum them.</summary>
    private static (long Bytes, long Files, long Dropped) Sum(params StreamRecorder[] recorders) =>
        (recorders.Sum(r => r.Statistics.BytesWritten), recorders.Sum(r => (long)r.Statistics.FilesFinished), recorders.Sum(r => r.Statistics.PacketsDropped));

    private static void AssertTotals(IReadOnlyDictionary<string, long> measured, (long Bytes, long Files, long Dropped) expected, long deleted, long failures)
    {
        string all = string.Join(", ", measured);
        Assert.True(measured.Count == Names.Length, all);
        Assert.True(expected.Bytes == measured[MpegCoderMetrics.RecordingBytes], $"bytes {expected.Bytes}; measured {all}");
        Assert.True(expected.Files == measured[MpegCoderMetrics.RecordingFiles], $"files {expected.Files}; measured {all}");
        Assert.True(expected.Dropped == measured[MpegCoderMetrics.RecordingPacketsDropped], $"dropped {expected.Dropped}; measured {all}");
        Assert.True(deleted == measured[MpegCoderMetrics.RecordingFilesDeleted], $"deleted {deleted}; measured {all}");
        Assert.True(failures == measured[MpegCoderMetrics.RecordingFailures], $"failures {failures}; measured {all}");
    }

    [Fact]
    public async Task A_streams_recording_counters_add_up_all_its_recorders_by_camera_and_never_go_down()
    {
        MpegCoderMetrics.Enable();
        string camera = "recorded-" + Guid.NewGuid().ToString("N")[..8];
        using var folder = new TempFolder("recording-metrics");
        using var counters = new RecordingCounters(camera);
        await using var stream = await VideoStream.OpenAsync(fixture.Server.Url, new StreamOptions { Name = camera, RtspTransport = RtspTransport.Tcp });
        Assert.True(await stream.WaitForNewFrameAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(counters.Read()); // a stream that never recorded reports no recording counters

        // Files of 1 s, each over MaxTotalBytes once finished: retention deletes them. Read while recording, the counters only rise.
        var files = stream.StartRecording(new RecordingOptions { Path = folder.File("seg-{1:000}.mp4"), SegmentDuration = TimeSpan.FromSeconds(1), MaxTotalBytes = 1 });
        int deleted = 0;
        files.FileDeleted += (_, _) => Interlocked.Increment(ref deleted);
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref deleted) < 2)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"only {deleted} files deleted in 20 s of 1 s segments");
            counters.Read();
            await Task.Delay(100);
        }
        await files.StopAsync();
        var afterFiles = counters.Read();
        Assert.True(files.Statistics.BytesWritten > 0 && files.Statistics.FilesFinished >= 2, files.Statistics.ToString());
        AssertTotals(afterFiles, Sum(files), deleted, failures: 0);

        // A push to a server that never reads: the queue drops packets, the write stalls and the recorder fails, counted once.
        using (var silent = new SilentServer(receiveBufferSize: 1024))
        {
            var push = stream.StartRecording(new RecordingOptions
            {
                Path = $"tcp://127.0.0.1:{silent.Port}",
                QueueCapacity = 16,
                IoTimeout = TimeSpan.FromSeconds(1),
                FFmpegOptions = new Dictionary<string, string> { ["send_buffer_size"] = "4096" },
            });
            await Assert.ThrowsAsync<RecordingException>(() => push.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(push.Statistics.PacketsDropped > 0, push.Statistics.ToString());
            AssertTotals(counters.Read(), Sum(files, push), deleted, failures: 1);
            await Assert.ThrowsAsync<RecordingException>(push.StopAsync);
            await push.DisposeAsync();
            AssertTotals(counters.Read(), Sum(files, push), deleted, failures: 1); // once, however often it is stopped or read

            // A recorder that cannot start (its folder does not exist) is a failure too.
            Assert.Throws<RecordingException>(() => stream.StartRecording(new RecordingOptions { Path = folder.File("missing/x.mp4") }));
            AssertTotals(counters.Read(), Sum(files, push), deleted, failures: 2);

            // Files again, by a new recorder on the same stream: the counters go on from where they were.
            var again = stream.StartRecording(new RecordingOptions { Path = folder.File("again-{1:000}.mkv"), SegmentDuration = TimeSpan.FromSeconds(1) });
            RecordedClip.WaitUntil(() => again.Statistics.FilesFinished >= 1, TimeSpan.FromSeconds(10), "a file of the second file recorder");
            var running = counters.Read();
            Assert.True(running[MpegCoderMetrics.RecordingBytes] > afterFiles[MpegCoderMetrics.RecordingBytes] + push.Statistics.BytesWritten,
                $"the running recorder is not counted: {string.Join(", ", running)}");
            await again.StopAsync();
            AssertTotals(counters.Read(), Sum(files, push, again), deleted, failures: 2);
        }
    }
}
