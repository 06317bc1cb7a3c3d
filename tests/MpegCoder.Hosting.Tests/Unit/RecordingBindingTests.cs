using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MpegCoder.Hosting;
using Xunit;

namespace MpegCoder.Hosting.Tests.Unit;

/// <summary>A camera's Recording section binds, maps onto RecordingOptions, and a setting that cannot work closes the camera at start, saying why.</summary>
public class RecordingBindingTests
{
    private const string Json = """
        {
          "MpegCoder": {
            "Cameras": [
              {
                "Name": "gate", "Address": "rtsp://127.0.0.1/gate",
                "Recording": {
                  "Mode": "OnEvent", "Path": "/srv/rec/gate-{0:yyyyMMdd-HHmmss}.mkv", "SegmentDuration": "00:05:00",
                  "PreEventBuffer": "00:00:05", "PostEventDuration": "00:00:10", "CrashSafe": false,
                  "MaxAge": "7.00:00:00", "MaxTotalBytes": 1000000000, "MinFreeBytes": 2000000000, "FilesKept": 20,
                  "RestartDelay": "00:00:15", "FFmpegOptions": { "cluster_time_limit": "2000" }
                }
              },
              { "Name": "yard", "Address": "rtsp://127.0.0.1/yard" }
            ]
          }
        }
        """;

    [Fact]
    public void The_recording_section_binds_and_maps_to_RecordingOptions()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        var services = new ServiceCollection();
        services.AddMpegCoder(configuration.GetSection("MpegCoder"));
        using var provider = services.BuildServiceProvider();
        var cameras = provider.GetRequiredService<IOptions<MpegCoderOptions>>().Value.Cameras;

        var r = cameras[0].Recording.ToRecordingOptions()!;
        Assert.Equal("/srv/rec/gate-{0:yyyyMMdd-HHmmss}.mkv", r.Path);
        Assert.True(r.WaitForTrigger);
        Assert.Equal(TimeSpan.FromMinutes(5), r.SegmentDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), r.PreEventBuffer);
        Assert.Equal(TimeSpan.FromSeconds(10), r.PostEventDuration);
        Assert.False(r.CrashSafe);
        Assert.Equal(TimeSpan.FromDays(7), r.MaxAge);
        Assert.Equal(1_000_000_000, r.MaxTotalBytes);
        Assert.Equal(2_000_000_000, r.MinFreeBytes);
        Assert.Equal(20, r.FilesKept);
        Assert.Equal("2000", r.FFmpegOptions["cluster_time_limit"]);
        Assert.Equal(TimeSpan.FromSeconds(15), cameras[0].Recording.RestartDelay);

        Assert.Equal(CameraRecordingMode.Off, cameras[1].Recording.Mode);
        Assert.Null(cameras[1].Recording.ToRecordingOptions());
    }

    [Fact]
    public void Continuous_mode_records_without_trigger_and_keeps_the_library_defaults()
    {
        var r = new CameraRecordingOptions { Mode = CameraRecordingMode.Continuous, Path = "a.mp4" }.ToRecordingOptions()!;
        Assert.Equal(new RecordingOptions { Path = "a.mp4", FFmpegOptions = r.FFmpegOptions }, r);
    }

    [Theory]
    [InlineData(CameraRecordingMode.Continuous, "", null, "Path")]
    [InlineData(CameraRecordingMode.Continuous, "a.mp4", "00:00:05", "PreEventBuffer")]
    [InlineData(CameraRecordingMode.OnEvent, "a.mp4", "-00:00:01", "PreEventBuffer")]
    public void A_recording_setting_that_cannot_work_closes_the_camera_at_start_naming_it(CameraRecordingMode mode, string path, string? preEvent, string setting)
    {
        var recording = new CameraRecordingOptions { Mode = mode, Path = path };
        if (preEvent is not null) recording.PreEventBuffer = TimeSpan.Parse(preEvent, System.Globalization.CultureInfo.InvariantCulture);
        using var registry = new CameraRegistry(NullLoggerFactory.Instance);
        registry.Apply(new MpegCoderOptions { Cameras = [new CameraOptions { Name = "cam", Address = "rtsp://127.0.0.1:1/x", Recording = recording }] });
        var status = registry.GetStatus("cam")!;
        Assert.Equal(StreamState.Closed, status.State);
        Assert.Contains("invalid configuration", status.LastError);
        Assert.Contains(setting, status.LastError);
        Assert.False(registry.TriggerRecording("cam"));
        Assert.Empty(registry.GetRecordedFiles("cam"));
    }

    [Fact]
    public async Task Unknown_cameras_and_cameras_that_do_not_record_on_events_cannot_be_triggered()
    {
        using var registry = new CameraRegistry(NullLoggerFactory.Instance);
        registry.Apply(new MpegCoderOptions
        {
            Cameras =
            [
                new CameraOptions { Name = "plain", Address = "rtsp://127.0.0.1:1/x" },
                new CameraOptions { Name = "always", Address = "rtsp://127.0.0.1:1/x", Recording = new() { Mode = CameraRecordingMode.Continuous, Path = "/tmp/x.mp4" } },
            ],
        });
        try
        {
            foreach (string name in new[] { "none", "plain", "always" })
            {
                Assert.False(registry.TriggerRecording(name));
                Assert.False(registry.EndRecordingEvent(name));
                Assert.Empty(registry.GetRecordedFiles(name));
            }
            Assert.Equal(CameraRecordingMode.Off, registry.GetStatus("plain")!.Recording);
            Assert.Equal(CameraRecordingMode.Continuous, registry.GetStatus("always")!.Recording);
        }
        finally
        {
            await registry.CloseAllAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_changed_recording_setting_changes_the_cameras_signature()
    {
        var camera = new CameraOptions { Name = "a", Address = "rtsp://x" };
        string before = HostedCamera.SignatureOf(camera);
        camera.Recording.Mode = CameraRecordingMode.Continuous;
        Assert.NotEqual(before, HostedCamera.SignatureOf(camera));
    }
}
