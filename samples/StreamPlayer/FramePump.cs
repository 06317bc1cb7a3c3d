using System.Diagnostics;
using MpegCoder.Imaging;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>
/// The thread that watches one connected client: when the client has stored a new frame
/// (<see cref="MpegClient.Statistics"/>' FramesStored moved on) it reads the newest one (ExtractFrame into a
/// reused buffer), encodes it with the library's <see cref="JpegEncoder"/> and publishes it to the feed.
/// It also notices the end of the stream (ExtractFrame returns -1, LastError says why).
/// </summary>
internal sealed class FramePump : IDisposable
{
    /// <summary>How often the client is polled; it bounds the added latency and the error of the measured age.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private readonly MpegClient _client;
    private readonly FrameFeed _feed;
    private readonly JpegEncoder _jpeg = new(quality: 85);
    private readonly Thread _thread;
    private volatile bool _stop;
    private volatile string? _endReason;

    private FramePump(MpegClient client, FrameFeed feed)
    {
        _client = client;
        _feed = feed;
        Width = (int)_client.GetParameter("widthDst")!;
        Height = (int)_client.GetParameter("heightDst")!;
        _thread = new Thread(Run) { IsBackground = true, Name = "StreamPlayer pump" };
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Why the stream ended (MpegClient.LastError), or null while it goes on.</summary>
    public string? EndReason => _endReason;

    /// <summary>Starts pumping a client that has just been set up.</summary>
    public static FramePump Start(MpegClient client, FrameFeed feed)
    {
        feed.ResetCounters();
        var pump = new FramePump(client, feed);
        pump._thread.Start();
        return pump;
    }

    private void Run()
    {
        try
        {
            var frame = new byte[_client.FrameBytes];
            long lastStored = 0;
            while (!_stop)
            {
                long stored = _client.Statistics.FramesStored;
                if (stored != lastStored || _client.LastError is not null)
                {
                    int frames = _client.ExtractFrame(frame, 1);
                    if (frames < 0)
                    {
                        _endReason = _client.LastError ?? "The stream ended.";
                        return;
                    }
                    if (frames == 1 && stored != lastStored)
                    {
                        lastStored = stored;
                        _feed.Publish(_jpeg.Encode(frame, Width, Height, _client.Options.PixelFormat), Stopwatch.GetTimestamp());
                    }
                }
                Thread.Sleep(PollInterval);
            }
        }
        catch (Exception e) when (!_stop)
        {
            _endReason = $"The player failed: {e.Message}";
        }
        catch (Exception)
        {
            // Stopping: the client may be cleared under the pump; nothing to report.
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        _jpeg.Dispose();
    }
}
