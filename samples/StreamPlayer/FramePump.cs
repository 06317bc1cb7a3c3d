using System.Diagnostics;
using MpegCoder.Imaging;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>
/// The thread that watches one connected client: when the client has decoded something new it reads
/// the newest frame (ExtractFrame into a reused buffer), and when that frame differs from the last one
/// it encodes it with the library's <see cref="JpegEncoder"/> and publishes it to the feed. It also
/// notices the end of the stream (ExtractFrame returns -1, LastError says why).
/// </summary>
/// <remarks>
/// The public API has no per-frame sequence number yet, so "new" means "different pixels": a frame that
/// is byte-identical to the previous one is neither sent again nor counted.
/// </remarks>
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
            var current = new byte[_client.FrameBytes];
            var previous = new byte[current.Length];
            bool havePrevious = false;
            long lastDecoded = -1;
            while (!_stop)
            {
                long decoded = _client.GetParameter("frameCount") as long? ?? 0;
                if (decoded != lastDecoded || _client.LastError is not null)
                {
                    lastDecoded = decoded;
                    int frames = _client.ExtractFrame(current, 1);
                    if (frames < 0)
                    {
                        _endReason = _client.LastError ?? "The stream ended.";
                        return;
                    }
                    if (frames == 1 && !(havePrevious && current.AsSpan().SequenceEqual(previous)))
                    {
                        long arrived = Stopwatch.GetTimestamp();
                        _feed.Publish(_jpeg.Encode(current, Width, Height), arrived);
                        (current, previous) = (previous, current);
                        havePrevious = true;
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
