using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// <see cref="MpegDecoder"/> on an http file whose server stops sending (a proxy in front of nginx that
/// stalls): FFmpegSetup and ExtractFrame return within the decoder's deadline + 1 s (it takes its opens and
/// reads from the client's defaults: open 10 s, stall 5 s), false or null or a MpegCoderException with the
/// reason; Clear from another thread ends a blocked ExtractFrame within 1 s, and LastError and ToString do not
/// wait for it; fds and connections come back.
/// </summary>
[Collection(nameof(FaultCollection))]
public class DecoderFaultTests(FaultServers servers, ITestOutputHelper output)
{
    /// <summary>The longest deadline the decoder has (its open timeout, which also bounds a seek's new connection) + 1 s.</summary>
    private static readonly TimeSpan CallBound = MpegClient.DefaultOpenTimeout + Bounded.Slack;

    private FaultProxy Proxy(long? afterBytes = null) =>
        new(servers.Nginx.HttpPort, ProxyFault.Stall, afterBytesToClient: afterBytes);

    private string Address(FaultProxy proxy) => proxy.Route(servers.Nginx.Serve(FaultServers.Clip, "decoder.ts"));

    /// <summary>Reads the file once straight from nginx before the fds are counted (the first use of http may keep something open).</summary>
    private static void WarmUp(string address)
    {
        var decoder = new MpegDecoder();
        var (ok, _) = Bounded.Call("warm-up FFmpegSetup", CallBound, () => decoder.FFmpegSetup(address));
        Assert.True(ok, decoder.LastError);
        Assert.NotNull(Bounded.Call("warm-up ExtractFrame", CallBound, () => decoder.ExtractFrame(0, 1)).result);
        Bounded.Call("warm-up Dispose", FaultMatrix.Stop, decoder.Dispose);
    }

    [Fact]
    public void A_server_that_stalls_during_setup_fails_it_within_the_deadline()
    {
        WarmUp(servers.Nginx.Serve(FaultServers.Clip, "decoder.ts"));
        using var proxy = Proxy(afterBytes: new FileInfo(FaultServers.Clip).Length / 2); // setup indexes the whole file
        var before = OpenResources.Now(proxy.Port);
        var decoder = new MpegDecoder();
        var (ok, took) = Bounded.Call("FFmpegSetup", CallBound, () => decoder.FFmpegSetup(Address(proxy)));
        Assert.True(proxy.HasFired, "the setup did not read half of the file");
        Assert.False(ok);
        Assert.False(string.IsNullOrEmpty(decoder.LastError));
        output.WriteLine($"setup failed after {took.TotalSeconds:0.00} s: {decoder.LastError}");
        Bounded.Call("Dispose", FaultMatrix.Stop, decoder.Dispose);
        proxy.Dispose();
        Bounded.Released(before, proxy.Port, "MpegDecoder after a stall during setup");
    }

    /// <summary>Sets up through a proxy, extracts the first frames, then stalls the proxy.</summary>
    private (MpegDecoder decoder, FaultProxy proxy, OpenResources before) SetUpThenStall()
    {
        WarmUp(servers.Nginx.Serve(FaultServers.Clip, "decoder.ts"));
        var proxy = Proxy();
        var before = OpenResources.Now(proxy.Port);
        var decoder = new MpegDecoder();
        var (ok, _) = Bounded.Call("FFmpegSetup", CallBound, () => decoder.FFmpegSetup(Address(proxy)));
        Assert.True(ok, decoder.LastError);
        var (first, _) = Bounded.Call("ExtractFrame before the stall", CallBound, () => decoder.ExtractFrame(0, 10));
        Assert.NotNull(first);
        Assert.Equal(Enumerable.Range(0, 10), Client.Frames.Whole(first));
        proxy.Fire();
        return (decoder, proxy, before);
    }

    /// <summary>ExtractFrame far from where the decoder is: a seek, a new request, which the stalled proxy never answers.</summary>
    private static byte[,,,]? ExtractFar(MpegDecoder decoder)
    {
        try { return decoder.ExtractFrame(220, 2); }
        catch (MpegCoderException) { return null; } // the documented failure: "cannot be read or seeked any more"
    }

    [Fact]
    public void A_server_that_stalls_after_setup_makes_ExtractFrame_return_within_the_deadline()
    {
        var (decoder, proxy, before) = SetUpThenStall();
        using (proxy)
        {
            var (frames, took) = Bounded.Call("ExtractFrame", CallBound, () => ExtractFar(decoder));
            Assert.Null(frames);
            Assert.False(string.IsNullOrEmpty(decoder.LastError), "no reason");
            output.WriteLine($"ExtractFrame gave up after {took.TotalSeconds:0.00} s: {decoder.LastError}");
            Bounded.Call("Dispose", FaultMatrix.Stop, decoder.Dispose);
        }
        Bounded.Released(before, proxy.Port, "MpegDecoder after a stall during ExtractFrame");
    }

    [Fact]
    public void Clear_from_another_thread_ends_an_ExtractFrame_blocked_on_a_stalled_server_at_once()
    {
        var (decoder, proxy, before) = SetUpThenStall();
        using (proxy)
        {
            var extracting = Bounded.Start(() => ExtractFar(decoder));
            Thread.Sleep(500); // blocked in the new request now
            Assert.False(extracting.IsCompleted, "ExtractFrame returned at once");
            // Reading the state must not wait for the blocked call either.
            Bounded.Call("LastError while ExtractFrame is blocked", FaultMatrix.Stop, () => decoder.LastError);
            Bounded.Call("ToString while ExtractFrame is blocked", FaultMatrix.Stop, () => decoder.ToString());
            Bounded.Call("Clear", FaultMatrix.Stop, decoder.Clear);
            Assert.True(Bounded.Until(() => extracting.IsCompleted, FaultMatrix.Stop), "ExtractFrame still blocked 1 s after Clear");
            Bounded.Call("Dispose", FaultMatrix.Stop, decoder.Dispose);
        }
        Bounded.Released(before, proxy.Port, "MpegDecoder cleared during a stalled ExtractFrame");
    }
}
