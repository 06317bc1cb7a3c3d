using System.Diagnostics.Metrics;
using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.DotNet;

/// <summary>
/// The meter without the hosting package: a VideoStream and an MpegClient on the live RTSP server
/// report under "MpegCoder", tagged with their names (or the address), once metrics are enabled. It runs
/// alone: its listener's callback would otherwise run on other tests' reading threads, whose
/// allocations they measure.
/// </summary>
[Collection(AloneCollection.Name)]
public class MetricsTests(RtspServerFixture fixture) : IClassFixture<RtspServerFixture>
{
    [Fact]
    public async Task Streams_of_both_faces_report_tagged_by_name_or_address()
    {
        MpegCoderMetrics.Enable();
        MpegCoderMetrics.Enable(); // once per process: a second call changes nothing
        Assert.True(MpegCoderMetrics.IsEnabled);
        var seen = new List<(string Instrument, double Value, string? Camera)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MpegCoderMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? camera = null;
            foreach (var tag in tags) if (tag.Key == MpegCoderMetrics.CameraTag) camera = tag.Value as string;
            lock (seen) seen.Add((i.Name, v, camera));
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();

        await using var stream = await VideoStream.OpenAsync(fixture.Server.Url, new StreamOptions { Name = "door", RtspTransport = RtspTransport.Tcp });
        using var client = new MpegClient();
        Assert.True(client.FFmpegSetup(fixture.Server.Url), client.LastError);
        Assert.True(client.Start());
        Assert.True(await stream.WaitForNewFrameAsync(10));
        Assert.True(client.WaitForNewFrame(10, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, stream.ExtractFrames(1).Count);
        Assert.NotNull(client.ExtractFrame(1));
        Assert.InRange(stream.NewestFrameAge!.Value.TotalSeconds, 0, 2);
        listener.RecordObservableInstruments();

        List<(string Instrument, double Value, string? Camera)> all;
        lock (seen) all = [.. seen];
        foreach (string camera in new[] { "door", fixture.Server.Url })
        {
            Assert.Contains(all, m => m.Instrument == MpegCoderMetrics.FramesStored && m.Camera == camera && m.Value > 10);
            Assert.Contains(all, m => m.Instrument == MpegCoderMetrics.State && m.Camera == camera && m.Value == 1);
            Assert.Contains(all, m => m.Instrument == MpegCoderMetrics.FrameAge && m.Camera == camera && m.Value is >= 0 and < 2);
            Assert.Contains(all, m => m.Instrument == MpegCoderMetrics.OpenDuration && m.Camera == camera && m.Value is > 0 and < 10);
        }
    }
}
