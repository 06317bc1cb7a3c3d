using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>What a <see cref="FaultProxy"/> does once its fault fires.</summary>
public enum ProxyFault
{
    /// <summary>Forwards nothing more either way and stops reading, but keeps every connection open: a network that stops answering.</summary>
    Stall,

    /// <summary>Resets every connection at once (a server that died mid-packet), and every later one as soon as it connects.</summary>
    Cut,
}

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a real server (the RTSP test server, nginx's HTTP or RTMP port, an
/// sshd, an ffmpeg listener), forwarding both ways byte for byte until its fault fires: after a given
/// number of bytes toward the client (a source that stops mid-stream), after a given number toward the
/// server (a push target that stops reading), or when the test calls <see cref="Fire"/>. The byte that
/// crosses the limit is never forwarded, so a cut or a stall lands in the middle of a packet.
/// </summary>
/// <remarks>
/// The proxy's own sockets live in the test process; they are not counted by
/// <see cref="OpenResources.ConnectionsTo"/> for <see cref="Port"/>, which counts only sockets whose remote
/// end is the proxy (the library's). Dispose closes every socket it opened.
/// </remarks>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly ProxyFault _fault;
    private readonly List<Socket> _sockets = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _perConnection;
    private long _budgetToClient;
    private long _budgetToServer;
    private int _connectionsFaulted;
    private long _bytesToClient;
    private long _bytesToServer;
    private int _accepted;
    private long _firedTimestamp;

    /// <param name="targetPort">The real server's port on 127.0.0.1.</param>
    /// <param name="fault">What happens when the fault fires.</param>
    /// <param name="afterBytesToClient">Fire once this many bytes (over all connections) went toward the client; null: never by count.</param>
    /// <param name="afterBytesToServer">Fire once this many bytes went toward the server; null: never by count.</param>
    /// <param name="perConnection">
    /// Count the bytes of each connection on its own, and fault only the connection that reaches the count
    /// (a server that stops after N bytes of each response): a client that seeks by opening a new
    /// connection (http) gets its data again, whatever the one it left had read ahead.
    /// </param>
    /// <param name="receiveBufferSize">
    /// SO_RCVBUF of the accepted sockets (set on the listener, which they inherit); a small one makes a client
    /// pushing into a stalled proxy block soon.
    /// </param>
    public FaultProxy(int targetPort, ProxyFault fault, long? afterBytesToClient = null, long? afterBytesToServer = null, int? receiveBufferSize = null, bool perConnection = false)
    {
        _perConnection = perConnection;
        _targetPort = targetPort;
        _fault = fault;
        _budgetToClient = afterBytesToClient ?? long.MaxValue;
        _budgetToServer = afterBytesToServer ?? long.MaxValue;
        if (receiveBufferSize is int size) _listener.Server.ReceiveBufferSize = size;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    /// <summary>The port clients connect to instead of the server's.</summary>
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Bytes forwarded toward the clients / the server so far.</summary>
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);
    public long BytesToServer => Interlocked.Read(ref _bytesToServer);

    /// <summary>Whether the fault has fired.</summary>
    public bool HasFired => _fired.Task.IsCompleted || Volatile.Read(ref _connectionsFaulted) > 0;

    /// <summary>Completes when the fault fires.</summary>
    public Task Fired => _fired.Task;

    /// <summary>When the fault fired (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>); 0 before.</summary>
    public long FiredTimestamp => Interlocked.Read(ref _firedTimestamp);

    /// <summary>Time since the fault fired; zero before.</summary>
    public TimeSpan SinceFired => FiredTimestamp == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(FiredTimestamp);

    /// <summary><paramref name="url"/> with the server's port replaced by the proxy's (":PORT/" or ":PORT" at the end).</summary>
    public string Route(string url)
    {
        string from = ":" + _targetPort.ToString(CultureInfo.InvariantCulture), to = ":" + Port.ToString(CultureInfo.InvariantCulture);
        int at = url.IndexOf(from + "/", StringComparison.Ordinal);
        if (at < 0 && url.EndsWith(from, StringComparison.Ordinal)) at = url.Length - from.Length;
        if (at < 0) throw new ArgumentException($"'{url}' does not name port {_targetPort}", nameof(url));
        return string.Concat(url.AsSpan(0, at), to, url.AsSpan(at + from.Length));
    }

    /// <summary>Fires the fault now (a stall or a cut of every connection).</summary>
    public void Fire()
    {
        Interlocked.CompareExchange(ref _firedTimestamp, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        if (!_fired.TrySetResult()) return;
        if (_fault == ProxyFault.Cut) CloseAll();
    }

    /// <summary>
    /// Resets every open connection now without firing the fault: later connections are forwarded again.
    /// Called again and again, a camera that flaps.
    /// </summary>
    public void ResetConnections() => CloseAll();

    private async Task AcceptLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                if (_fault == ProxyFault.Cut && HasFired)
                {
                    Reset(client);
                    continue;
                }
                Socket server;
                try
                {
                    server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), _stop.Token);
                }
                catch (SocketException)
                {
                    Reset(client);
                    continue;
                }
                lock (_sockets) { _sockets.Add(client); _sockets.Add(server); }
                if (_stop.IsCancellationRequested || (_fault == ProxyFault.Cut && HasFired))
                {
                    CloseAll(); // disposed or cut while this connection was being made
                    continue;
                }
                // Per connection: the pair's own budgets, in a box both pumps share.
                var budget = _perConnection ? new long[] { _budgetToClient, _budgetToServer } : null;
                _ = Pump(server, client, toClient: true, budget);
                _ = Pump(client, server, toClient: false, budget);
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    private async Task Pump(Socket from, Socket to, bool toClient, long[]? connectionBudget)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (!_fired.Task.IsCompleted)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    // An orderly close passes on as one (the peer's FIN), unless a fault already fired.
                    if (!_fired.Task.IsCompleted) to.Shutdown(SocketShutdown.Send);
                    return;
                }
                int allowed = connectionBudget is null ? Take(toClient, n) : TakeFrom(ref connectionBudget[toClient ? 0 : 1], n);
                if (_fired.Task.IsCompleted) allowed = 0; // fired meanwhile (by the other direction or the test)
                for (int sent = 0; sent < allowed;)
                    sent += await to.SendAsync(buffer.AsMemory(sent, allowed - sent), SocketFlags.None, _stop.Token);
                Interlocked.Add(ref toClient ? ref _bytesToClient : ref _bytesToServer, allowed);
                if (allowed < n)
                {
                    if (connectionBudget is null)
                    {
                        Fire();
                    }
                    else
                    {
                        // This connection alone: it stalls (this pump reads no more) or is reset.
                        Interlocked.Exchange(ref _firedTimestamp, System.Diagnostics.Stopwatch.GetTimestamp());
                        Interlocked.Increment(ref _connectionsFaulted);
                        if (_fault == ProxyFault.Cut) { Reset(from); Reset(to); }
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
        // Stalled: this pump reads no more; the connection stays open until the test disposes the proxy.
    }

    /// <summary>Takes up to <paramref name="n"/> bytes from the direction's budget; returns how many may pass.</summary>
    private int Take(bool toClient, int n) => TakeFrom(ref toClient ? ref _budgetToClient : ref _budgetToServer, n);

    private static int TakeFrom(ref long budget, int n)
    {
        while (true)
        {
            long left = Interlocked.Read(ref budget);
            long take = Math.Min(left, n);
            if (take == 0 || Interlocked.CompareExchange(ref budget, left - take, left) == left)
                return (int)take;
        }
    }

    private void CloseAll()
    {
        Socket[] all;
        lock (_sockets) { all = [.. _sockets]; _sockets.Clear(); }
        foreach (var s in all) Reset(s);
    }

    /// <summary>Closes with an RST (linger 0), as a process that dies does: the peer's next read or write fails at once.</summary>
    private static void Reset(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); } catch (SocketException) { } catch (ObjectDisposedException) { }
        socket.Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _fired.TrySetResult();
        CloseAll();
    }
}
