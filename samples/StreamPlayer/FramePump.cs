using System.Diagnostics;
using MpegCoder.Imaging;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>
/// The thread that watches one connected client: it sleeps in <see cref="MpegClient.WaitForNewFrame"/>
/// until the client stores a new frame, reads the newest one (ExtractFrame into a reused buffer), encodes
/// it with the library's <see cref="JpegEncoder"/> and publishes it to the feed. It also notices the end
/// of the stream (ExtractFrame returns -1, LastError says why).
/// </summary>
internal sealed class FramePump : IDisposable
{
    /// <summary>How long one wait lasts before the pump checks again whether the stream has ended.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(1);

    private readonly MpegClient _client;
    private readonly FrameFeed _feed;
    private readonly JpegEncoder _jpeg = new(quality: 85);
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stopping = new();
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
                // No polling: the client wakes the pump when it stores a frame (or at the end of a slice).
                bool fresh = _client.WaitForNewFrame(lastStored, WaitSlice, _stopping.Token);
                long stored = _client.Statistics.FramesStored;
                int frames = _client.ExtractFrame(frame, 1);
                if (frames < 0)
                {
                    _endReason = _client.LastError ?? "The stream ended.";
                    return;
                }
                if (fresh && frames == 1)
                {
                    lastStored = stored;
                    _feed.Publish(_jpeg.Encode(frame, Width, Height, _client.Options.PixelFormat), Stopwatch.GetTimestamp());
                }
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
        _stopping.Cancel();
        _thread.Join();
        _stopping.Dispose();
        _jpeg.Dispose();
    }
}
