using System.Net;
using System.Net.Sockets;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Faults;

/// <summary>The misbehaving peers themselves do what they say, with plain sockets and files.</summary>
[Collection(nameof(FaultCollection))]
public class FaultPeerTests
{
    /// <summary>A server that sends <paramref name="bytes"/> bytes to its first client, then waits for it to close.</summary>
    private static (TcpListener listener, Task served) Source(int bytes)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var served = Task.Run(async () =>
        {
            using var s = await listener.AcceptSocketAsync();
            await s.SendAsync(new byte[bytes], SocketFlags.None);
            var sink = new byte[1];
            try { while (await s.ReceiveAsync(sink, SocketFlags.None) > 0) { } } catch (SocketException) { }
        });
        return (listener, served);
    }

    private static int ReadAll(Socket s, TimeSpan timeout, out SocketError ended)
    {
        s.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        var buffer = new byte[4096];
        int total = 0;
        ended = SocketError.Success;
        try
        {
            while (true)
            {
                int n = s.Receive(buffer);
                if (n == 0) return total;
                total += n;
            }
        }
        catch (SocketException e)
        {
            ended = e.SocketErrorCode;
            return total;
        }
    }

    [Theory]
    [InlineData(ProxyFault.Stall, SocketError.TimedOut)]
    [InlineData(ProxyFault.Cut, SocketError.ConnectionReset)]
    public void The_proxy_forwards_exactly_n_bytes_then_stalls_or_resets(ProxyFault fault, SocketError expected)
    {
        var before = OpenResources.Now();
        var (listener, served) = Source(100_000);
        int port = ((IPEndPoint)listener.LocalEndpoint).Port, proxyPort;
        using (var proxy = new FaultProxy(port, fault, afterBytesToClient: 12_345))
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            proxyPort = proxy.Port;
            // A socket an earlier test left for the collector may have had a peer on the same port number.
            int already = OpenResources.ConnectionsTo(proxy.Port);
            client.Connect(IPAddress.Loopback, proxy.Port);
            // (A socket reset by its peer leaves /proc/net/tcp at once, while its fd stays open: only a stall shows.)
            if (fault == ProxyFault.Stall) Assert.Equal(already + 1, OpenResources.ConnectionsTo(proxy.Port));
            Assert.Equal(12_345, ReadAll(client, TimeSpan.FromSeconds(1), out var ended));
            Assert.Equal(expected, ended);
            Assert.True(proxy.HasFired);
        }
        listener.Stop();
        Assert.True(SpinWait.SpinUntil(() => served.IsCompleted, 5000), "the source saw its connection close");
        var after = OpenResources.Settle(before, proxyPort);
        Assert.True(after.Connections == 0 && after.FileDescriptors <= before.FileDescriptors, $"before {before}, after {after}");
    }

    [Fact]
    public void The_proxy_stops_reading_a_pusher_after_n_bytes_and_the_pusher_blocks()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            using var s = await listener.AcceptSocketAsync();
            var sink = new byte[65536];
            try { while (await s.ReceiveAsync(sink, SocketFlags.None) > 0) { } } catch (SocketException) { }
        });
        using var proxy = new FaultProxy(((IPEndPoint)listener.LocalEndpoint).Port, ProxyFault.Stall, afterBytesToServer: 50_000, receiveBufferSize: 4096);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = 4096, SendTimeout = 1000 };
        client.Connect(IPAddress.Loopback, proxy.Port);
        long sent = 0;
        var chunk = new byte[4096];
        var error = Assert.Throws<SocketException>(() => { while (sent < 100_000_000) sent += client.Send(chunk); });
        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
        Assert.Equal(50_000, proxy.BytesToServer);
        Assert.InRange(sent, 50_000, 10_000_000);
        listener.Stop();
    }

    [Fact]
    public void The_small_disk_fills_with_no_space_left_and_unmounts()
    {
        string path;
        using (var disk = new SmallDisk(256 * 1024))
        {
            path = disk.Path;
            var e = Assert.ThrowsAny<IOException>(() => File.WriteAllBytes(disk.File("big"), new byte[1024 * 1024]));
            Assert.Contains("No space left on device", e.Message);
        }
        Assert.False(Directory.Exists(path));
        Assert.DoesNotContain(path, File.ReadAllText("/proc/mounts"));
    }
}
