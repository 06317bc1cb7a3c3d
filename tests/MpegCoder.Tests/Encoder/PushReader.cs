using System.Diagnostics;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Encoder;

/// <summary>
/// The reading side of a push test: an MpegClient on the stream the server relays, and a thread that
/// copies the frames stored since its last look out of the ring every 50 ms and notes, for each barcode index, when the
/// client stored it. The ring holds more frames than arrive between two polls, so no frame the client
/// stores is missed.
/// </summary>
internal sealed class PushReader : IDisposable
{
    private readonly MpegClient _client;
    private readonly Dictionary<int, long> _stored = new(); // barcode index -> Stopwatch timestamp of its storing
    private readonly Thread _thread;
    private volatile bool _stop;
    private string? _failure;

    private PushReader(MpegClient client)
    {
        _client = client;
        _thread = new Thread(Poll) { IsBackground = true, Name = "push reader" };
        _thread.Start();
    }

    /// <summary>Opens <paramref name="address"/> (which must already carry the stream) and starts collecting.</summary>
    public static PushReader Open(string address, IReadOnlyDictionary<string, string>? ffmpegOptions = null)
    {
        var client = Client(ffmpegOptions);
        Assert.True(client.FFmpegSetup(address), client.LastError);
        Assert.True(client.Start(), client.LastError);
        return new PushReader(client);
    }

    /// <summary>The same, or null when the stream is not there (yet).</summary>
    public static PushReader? TryOpen(string address, IReadOnlyDictionary<string, string>? ffmpegOptions = null)
    {
        var client = Client(ffmpegOptions);
        if (client.FFmpegSetup(address) && client.Start()) return new PushReader(client);
        client.Dispose();
        return null;
    }

    private static MpegClient Client(IReadOnlyDictionary<string, string>? ffmpegOptions)
    {
        var client = new MpegClient();
        client.SetParameter(readSize: 1, cacheSize: 64);
        if (ffmpegOptions is not null) client.Options = client.Options with { FFmpegOptions = ffmpegOptions };
        return client;
    }

    public string? LastError => _client.LastError;

    /// <summary>The indices seen so far, sorted.</summary>
    public List<int> Indices
    {
        get { lock (_stored) return [.. _stored.Keys.Order()]; }
    }

    /// <summary>Waits until the client stored a frame whose index is at least <paramref name="index"/>.</summary>
    public void WaitFor(int index, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            lock (_stored) if (_stored.Keys.Any(k => k >= index)) return;
            Assert.Null(_failure);
            Thread.Sleep(20);
        }
        Assert.Fail($"no frame {index} or later within {timeout.TotalSeconds} s; seen: {Describe(Indices)}; client: {_client.LastError}");
    }

    /// <summary>
    /// Asserts that every index from the first seen to the last is there (nothing lost, none twice since
    /// indices are keys, no torn frame) and that at least <paramref name="atLeast"/> arrived.
    /// </summary>
    public void AssertConsecutive(int atLeast)
    {
        Assert.Null(_failure);
        var seen = Indices;
        Assert.True(seen.Count >= atLeast, $"only {seen.Count} frames arrived: {Describe(seen)}");
        Assert.True(seen[^1] - seen[0] + 1 == seen.Count, $"frames lost between {seen[0]} and {seen[^1]}: {Describe(seen)}");
    }

    /// <summary>
    /// The frame rate at which frames arrived, measured from the arrival of frame <paramref name="from"/>
    /// to that of frame <paramref name="last"/> (frames per second of wall clock).
    /// </summary>
    public double ArrivalRate(int from, int last, out double seconds)
    {
        lock (_stored)
        {
            long start = _stored[from], end = _stored[last];
            seconds = (double)(end - start) / Stopwatch.Frequency;
            return (last - from) / seconds;
        }
    }

    /// <summary>Arrival times relative to the first, for failure messages.</summary>
    public string Timeline()
    {
        lock (_stored)
        {
            long t0 = _stored.Values.Min();
            return string.Join(" ", _stored.OrderBy(p => p.Key).Where((p, i) => i % 10 == 0).Select(p => $"{p.Key}@{(p.Value - t0) * 1000 / Stopwatch.Frequency}"));
        }
    }

    private void Poll()
    {
        try
        {
            var session = _client.Session!;
            int capacity = session.Capacity;
            var pixels = new byte[capacity * session.FrameBytes];
            var infos = new FrameMetadata[capacity];
            int width = session.Width, height = session.Height;
            long published = 0;
            while (!_stop)
            {
                // Copy exactly the frames stored since the last poll, and fail if the ring overwrote any of them.
                long now = session.Stored;
                long fresh = now - published;
                // 8 more than that: frames stored between reading Published and the copy push the window on.
                if (fresh > capacity - 8) _failure ??= $"the reader fell behind: {fresh} frames stored between two polls";
                int n = session.Reads.PeekNewest((int)Math.Min(fresh + 8, capacity), pixels, infos);
                published = now;
                var indices = Barcode.ReadAll(pixels.AsSpan(0, n * session.FrameBytes), width, height);
                lock (_stored)
                    for (int i = 0; i < n; i++)
                    {
                        var (top, bottom) = indices[i];
                        if (top != bottom) _failure ??= $"torn frame: top {top}, bottom {bottom}";
                        _stored.TryAdd(top, infos[i].ReceivedTimestamp);
                    }
                Thread.Sleep(50);
            }
        }
        catch (Exception e)
        {
            _failure = e.ToString();
        }
    }

    private static string Describe(List<int> seen) =>
        seen.Count == 0 ? "none" : seen.Count <= 40 ? string.Join(",", seen) : $"{seen.Count} frames, {seen[0]}..{seen[^1]}, gaps at {string.Join(",", seen.Zip(seen.Skip(1)).Where(p => p.Second != p.First + 1).Select(p => $"{p.First}->{p.Second}").Take(10))}";

    public void Dispose()
    {
        _stop = true;
        _thread?.Join();
        _client.Dispose();
    }
}
