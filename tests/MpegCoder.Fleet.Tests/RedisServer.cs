using System.Globalization;
using System.Net.Sockets;
using MpegCoder.Tests.Infrastructure;
using MpegCoder.Tests.Infrastructure.Servers;

namespace MpegCoder.Fleet.Tests;

/// <summary>A throwaway redis-server on a free 127.0.0.1 port: no persistence, its folder deleted on Dispose.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly TempFolder _folder;
    private readonly DaemonProcess _process;

    private RedisServer(TempFolder folder, DaemonProcess process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static RedisServer Start()
    {
        string exe = ExternalTool.Require("redis-server", "redis-server");
        int port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
        var folder = new TempFolder("redis");
        DaemonProcess? process = null;
        try
        {
            process = DaemonProcess.Start("redis", exe,
            [
                "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", folder.Path, "--daemonize", "no",
            ]);
            process.WaitUntilListening(port, udp: false, TimeSpan.FromSeconds(10));
            return new RedisServer(folder, process, port);
        }
        catch
        {
            process?.Dispose();
            folder.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        _folder.Dispose();
    }
}
