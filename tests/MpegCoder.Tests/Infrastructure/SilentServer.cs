using System.Net;
using System.Net.Sockets;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// A TCP server on 127.0.0.1 that accepts every connection and never says a word: the dead camera
/// whose port is still open. Connections are held until Dispose.
/// </summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = new();
    private readonly CancellationTokenSource _stop = new();

    /// <param name="receiveBufferSize">
    /// The accepted connections' receive buffer (SO_RCVBUF, set before listening so the accepted sockets
    /// inherit it); null for the system's. A small one makes a client that sends to this server block soon.
    /// </param>
    public SilentServer(int? receiveBufferSize = null)
    {
        if (receiveBufferSize is int size) _listener.Server.ReceiveBufferSize = size;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get { lock (_accepted) return _accepted.Count; } }

    private async Task AcceptLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted) _accepted.Add(socket);
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted) foreach (var s in _accepted) s.Dispose();
    }
}
