using MpegCoder.Tests.Client;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Reliability;

public class ReconnectTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public void With_a_reconnect_policy_frames_resume_after_the_server_comes_back()
    {
        using var server = RtspTestServer.Start();
        using var client = new MpegClient();
        var states = new System.Collections.Concurrent.ConcurrentQueue<StreamState>();
        client.Options = client.Options with
        {
            RtspTransport = RtspTransport.Tcp,
            ReadSize = 3,
            StallTimeout = TimeSpan.FromSeconds(2),
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(0.2), MaxDelay = TimeSpan.FromSeconds(1) },
        };
        Assert.True(client.FFmpegSetup(server.Url), client.LastError);
        client.Session!.StateChanged += (_, e) => states.Enqueue(e.State);
        Assert.True(client.Start());
        int before = Frames.Whole(Frames.WaitForBatch(client, 3, Wait))[^1];

        server.StopServer();
        Frames.WaitUntil(() => client.State == StreamState.Reconnecting, Wait, "the client to notice");
        var during = client.ExtractFrame(); // the last frames stay readable while reconnecting
        Assert.NotNull(during);
        Thread.Sleep(1500); // a few failed attempts against the closed port
        server.RestartServer();

        Frames.WaitUntil(() => client.Statistics.Reconnects >= 1 && Frames.Whole(client.ExtractFrame()!)[^1] > before + 25, Wait,
            $"fresh frames after the restart ({client.Statistics})");
        var after = Frames.Whole(client.ExtractFrame()!);
        Assert.Equal(Enumerable.Range(after[0], 3), after);
        Assert.Contains(StreamState.Reconnecting, states);
        Assert.Equal(StreamState.Streaming, client.State);
        Assert.NotNull(client.Statistics.LastError);
    }

    [Fact]
    public void A_policy_with_a_limit_gives_up_and_ends_the_stream()
    {
        using var server = RtspTestServer.Start();
        using var client = new MpegClient();
        client.Options = client.Options with
        {
            RtspTransport = RtspTransport.Tcp,
            Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(0.1), MaxDelay = TimeSpan.FromSeconds(0.2), MaxAttempts = 3 },
        };
        Assert.True(client.FFmpegSetup(server.Url), client.LastError);
        Assert.True(client.Start());
        Frames.WaitForBatch(client, 1, Wait);
        server.StopServer();
        Frames.WaitUntil(() => client.ExtractFrame() is null, Wait, "the policy to give up");
        Assert.Contains("gave up after 3", client.LastError);
        Assert.Contains("Connection refused", client.LastError);
        Assert.Equal(0, client.Statistics.Reconnects);
    }

    [Fact]
    public void Backoff_grows_to_the_cap_with_jitter_below_the_nominal_delay()
    {
        var policy = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5), Multiplier = 2, Jitter = 0.2 };
        var random = new Random(7);
        double[] nominal = [1, 2, 4, 5, 5, 5];
        for (int attempt = 1; attempt <= nominal.Length; attempt++)
        {
            double delay = policy.DelayBefore(attempt, random).TotalSeconds;
            Assert.InRange(delay, nominal[attempt - 1] * 0.8, nominal[attempt - 1]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy { Multiplier = 0.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy { MaxAttempts = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectPolicy { Jitter = 2 }.Validate());
    }
}
