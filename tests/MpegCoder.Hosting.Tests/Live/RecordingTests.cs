using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MpegCoder.Hosting;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Hosting.Tests.Live; // one class with the other live tests: they share the server and never overlap

/// <summary>
/// Recording from configuration: a generic host whose only setup is a JSON camera list records the live
/// barcode server, through a reconnection; on-event recording via the registry; a folder that cannot be
/// written; the recording instruments.
/// </summary>
public partial class CameraWallTests
{
    private static async Task<IHost> RecordingHostAsync(string address, object recording)
    {
        var settings = new
        {
            MpegCoder = new
            {
                Cameras = new[]
                {
                    new
                    {
                        Name = "rec",
                        Address = address,
                        Options = new
                        {
                            Width = 320, Height = 240, FrameRate = "10", RtspTransport = "Tcp", StallTimeout = "00:00:02",
                            Reconnect = new { InitialDelay = "00:00:00.2", MaxDelay = "00:00:01" },
                        },
                        Recording = recording,
                    },
                },
            },
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(settings))));
        builder.Services.AddMpegCoder(builder.Configuration.GetSection("MpegCoder"));
        builder.Services.AddHealthChecks().AddMpegCoderCameras();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    /// <summary>ffmpeg decodes the whole file without a complaint.</summary>
    private static void AssertDecodes(string path)
    {
        var result = ExternalTool.Run(ExternalTool.Require("ffmpeg", "ffmpeg"),
            ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0 && result.StdErr.Trim().Length == 0, $"{path}: {result}");
    }

    /// <summary>
    /// The recording instruments' latest values for the camera "rec": the core meter's (the camera's stream is
    /// named after it). The hosting meter has none, so that a collector of both counts them once.
    /// </summary>
    private static Dictionary<string, long> RecordingMeasurements()
    {
        var seen = new Dictionary<string, long>();
        var onHostingMeter = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (!instrument.Name.StartsWith("mpegcoder.recording.", StringComparison.Ordinal)) return;
            if (instrument.Meter.Name == MpegCoderHostingMetrics.MeterName) onHostingMeter.Add(instrument.Name);
            if (instrument.Meter.Name == MpegCoderMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == MpegCoderMetrics.CameraTag && (string?)tag.Value == "rec") seen[instrument.Name] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Empty(onHostingMeter);
        return seen;
    }

    [Fact]
    public async Task A_host_configured_from_json_records_segments_ffmpeg_decodes_across_a_reconnection()
    {
        string folder = Directory.CreateTempSubdirectory("mpegcoder-hosted-rec-").FullName;
        var host = await RecordingHostAsync(wall.Server.Url, new
        {
            Mode = "Continuous", Path = Path.Combine(folder, "sub", "rec-{1}.mp4"), SegmentDuration = "00:00:01",
        });
        try
        {
            var cameras = host.Services.GetRequiredService<ICameraRegistry>();
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(cameras.GetRecordedFiles("rec").Count >= 2), Soon),
                string.Join("; ", cameras.GetStatuses()));
            var status = cameras.GetStatus("rec")!;
            Assert.Equal(CameraRecordingMode.Continuous, status.Recording);
            Assert.Null(status.RecordingError);
            Assert.True(status.RecordedFiles >= 2);
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, health.Status);

            // The stream reconnects by itself; the recorder follows it into new files.
            try
            {
                wall.Server.StopServer();
                Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(cameras.GetStatus("rec")!.State == StreamState.Reconnecting), Soon));
            }
            finally
            {
                wall.Server.RestartServer();
            }
            var restarted = DateTimeOffset.Now;
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(
                cameras.GetRecordedFiles("rec").Count(f => f.StartedAt > restarted) >= 2), Soon), string.Join("; ", cameras.GetStatuses()));

            var files = cameras.GetRecordedFiles("rec");
            foreach (var file in files)
            {
                Assert.StartsWith(Path.Combine(folder, "sub"), file.Path, StringComparison.Ordinal);
                Assert.True(file.Bytes > 0 && file.Packets > 0, file.ToString());
                AssertDecodes(file.Path);
            }
            var measured = RecordingMeasurements();
            Assert.True(measured[MpegCoderMetrics.RecordingBytes] >= files.Sum(f => f.Bytes), string.Join(", ", measured));
            Assert.True(measured[MpegCoderMetrics.RecordingFiles] >= files.Count, string.Join(", ", measured));
            Assert.Equal(0, measured[MpegCoderMetrics.RecordingFailures]);
            Assert.Equal(0, measured[MpegCoderMetrics.RecordingFilesDeleted]);
            Assert.True(measured.ContainsKey(MpegCoderMetrics.RecordingPacketsDropped));
        }
        finally
        {
            await StopAsync(host);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_hosted_cameras_files_keep_its_sound_unless_Audio_is_off()
    {
        using var camera = RtspTestServer.Start(audio: TestAudio.Mulaw); // G.711, as many IP cameras send
        string folder = Directory.CreateTempSubdirectory("mpegcoder-hosted-audio-").FullName;
        try
        {
            foreach (bool audio in new[] { true, false })
            {
                var host = await RecordingHostAsync(camera.Url, new
                {
                    Mode = "Continuous", Path = Path.Combine(folder, $"{(audio ? "with" : "without")}-{{1}}.mkv"), SegmentDuration = "00:00:01", Audio = audio,
                });
                try
                {
                    var cameras = host.Services.GetRequiredService<ICameraRegistry>();
                    Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(cameras.GetRecordedFiles("rec").Count >= 2), Soon),
                        string.Join("; ", cameras.GetStatuses()));
                    foreach (var file in cameras.GetRecordedFiles("rec"))
                    {
                        Assert.Equal("h264", file.VideoCodec);
                        Assert.Equal(audio ? "pcm_mulaw" : null, file.AudioCodec);
                        var streams = ExternalTool.RunChecked(ExternalTool.Require("ffprobe", "ffmpeg"),
                            ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file.Path], TimeSpan.FromSeconds(30));
                        Assert.Equal(audio ? "h264 pcm_mulaw" : "h264", string.Join(' ', streams.StdOutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
                        AssertDecodes(file.Path);
                    }
                }
                finally
                {
                    await StopAsync(host);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task On_event_recording_writes_a_file_only_after_a_trigger()
    {
        string folder = Directory.CreateTempSubdirectory("mpegcoder-hosted-event-").FullName;
        var host = await RecordingHostAsync(wall.Server.Url, new
        {
            Mode = "OnEvent", Path = Path.Combine(folder, "event-{1}.mkv"), PreEventBuffer = "00:00:02", PostEventDuration = "00:00:01",
        });
        try
        {
            var cameras = host.Services.GetRequiredService<ICameraRegistry>();
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(
                cameras.GetStatus("rec") is { State: StreamState.Streaming, NewestFrameAge: not null }), Soon));
            await Task.Delay(3000); // the pre-event buffer fills; nothing is written
            Assert.Empty(cameras.GetRecordedFiles("rec"));
            Assert.Empty(Directory.GetFiles(folder));
            Assert.Equal(0, RecordingMeasurements()[MpegCoderMetrics.RecordingFiles]);

            Assert.True(cameras.TriggerRecording("rec"));
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(cameras.GetRecordedFiles("rec").Count == 1), Soon),
                string.Join("; ", cameras.GetStatuses()));
            var file = Assert.Single(cameras.GetRecordedFiles("rec"));
            // The pre-event buffer (2 s, from a keyframe before it) then 1 s after the trigger.
            Assert.True(file.Duration >= TimeSpan.FromSeconds(2.5), file.ToString());
            AssertDecodes(file.Path);
            Assert.True(cameras.EndRecordingEvent("rec")); // between events: no effect
            await Task.Delay(500);
            Assert.Single(cameras.GetRecordedFiles("rec"));
            Assert.Equal(1, RecordingMeasurements()[MpegCoderMetrics.RecordingFiles]);
            Assert.Equal(CameraRecordingMode.OnEvent, cameras.GetStatus("rec")!.Recording);
        }
        finally
        {
            await StopAsync(host);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_recorder_that_cannot_write_its_folder_makes_the_camera_degraded_with_the_reason()
    {
        string blocker = Path.GetTempFileName(); // a file where the recording folder should be: no user can write there
        var host = await RecordingHostAsync(wall.Server.Url, new
        {
            Mode = "Continuous", Path = Path.Combine(blocker, "rec-{1}.mp4"), RestartDelay = "00:01:00",
        });
        try
        {
            var cameras = host.Services.GetRequiredService<ICameraRegistry>();
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(cameras.GetStatus("rec")!.RecordingError is not null), Soon),
                string.Join("; ", cameras.GetStatuses()));
            var status = cameras.GetStatus("rec")!;
            Assert.Equal(StreamState.Streaming, status.State); // the pictures go on
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Degraded, health.Status);
            var camera = health.Entries[MpegCoderHealthChecksBuilderExtensions.DefaultName];
            Assert.Contains("rec: recording failed (", camera.Description);
            Assert.Contains(status.RecordingError!, camera.Description);
            Assert.Equal(1, RecordingMeasurements()[MpegCoderMetrics.RecordingFailures]); // one attempt, then the restart delay
            Assert.Empty(cameras.GetRecordedFiles("rec"));
        }
        finally
        {
            await StopAsync(host);
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task Retention_deletes_old_files_counts_them_and_takes_them_off_the_list()
    {
        string folder = Directory.CreateTempSubdirectory("mpegcoder-hosted-retention-").FullName;
        // 1 byte: every finished file is over the limit and goes; the one being written stays.
        var host = await RecordingHostAsync(wall.Server.Url, new
        {
            Mode = "Continuous", Path = Path.Combine(folder, "keep-{1}.ts"), SegmentDuration = "00:00:01", MaxTotalBytes = 1,
        });
        try
        {
            var cameras = host.Services.GetRequiredService<ICameraRegistry>();
            Assert.True(await WallFixture.EventuallyAsync(() => Task.FromResult(
                RecordingMeasurements().GetValueOrDefault(MpegCoderMetrics.RecordingFilesDeleted) >= 2), Soon),
                string.Join("; ", cameras.GetStatuses()));
            var listed = cameras.GetRecordedFiles("rec");
            Assert.All(listed, f => Assert.True(File.Exists(f.Path), $"{f.Path} is listed but was deleted"));
            Assert.True(RecordingMeasurements()[MpegCoderMetrics.RecordingFiles] >= 2);
            Assert.Null(cameras.GetStatus("rec")!.RecordingError);
        }
        finally
        {
            await StopAsync(host);
            Directory.Delete(folder, recursive: true);
        }
    }
}
