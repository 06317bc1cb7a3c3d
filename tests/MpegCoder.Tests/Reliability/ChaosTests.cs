using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Reliability;

public class ChaosTests
{
    [Fact]
    public void Readers_against_a_thread_calling_everything_at_random_for_30_seconds()
    {
        using var server = RtspTestServer.Start();
        var client = new MpegClient();
        client.Options = client.Options with { ReadSize = 3, CacheSize = 6, RtspTransport = RtspTransport.Tcp };
        Assert.True(client.FFmpegSetup(server.Url), client.LastError);
        Assert.True(client.Start());

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long frames = 0, notSetUp = 0, operations = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            while (DateTime.UtcNow < until)
            {
                try
                {
                    var batch = client.ExtractFrame();
                    if (batch is null) continue;
                    foreach (var (top, bottom) in Frames.Indices(batch))
                        if (top != bottom) failures.Enqueue($"torn frame {top}/{bottom}");
                    Interlocked.Add(ref frames, batch.GetLength(0));
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref notSetUp); // documented: not set up at this moment
                }
                catch (Exception e)
                {
                    failures.Enqueue(e.ToString());
                }
            }
        })).ToList();
        var chaos = new Thread(() =>
        {
            var random = new Random(7);
            while (DateTime.UtcNow < until)
            {
                try
                {
                    switch (random.Next(5))
                    {
                        case 0: try { client.Start(); } catch (InvalidOperationException) { } break;
                        case 1: client.Terminate(); break;
                        case 2: client.Clear(); break;
                        case 3: client.FFmpegSetup(server.Url); client.Start(); break;
                        default: client.Dispose(); break;
                    }
                    operations++;
                }
                catch (Exception e)
                {
                    failures.Enqueue(e.ToString());
                }
                Thread.Sleep(random.Next(0, 150));
            }
        });
        readers.ForEach(r => r.Start());
        chaos.Start();
        foreach (var t in readers.Append(chaos))
            Assert.True(t.Join(TimeSpan.FromSeconds(60)), "deadlock: a thread did not finish");
        client.Dispose();

        Assert.Empty(failures);
        Assert.True(frames > 100, $"only {frames} frames read");
        Assert.True(operations > 50, $"only {operations} operations");
    }
}
