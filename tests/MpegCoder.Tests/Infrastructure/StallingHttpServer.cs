using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>
/// An HTTP file server on 127.0.0.1 that serves one file (with byte ranges, so FFmpeg can seek in it) and
/// stops sending once a connection reaches the byte <see cref="StallAt"/> of the file: the header and the
/// bytes before it go out, then nothing more, with the connection held open. The file server whose
/// network froze in the middle of a download.
/// </summary>
public sealed class StallingHttpServer : IDisposable
{
    private readonly byte[] _file;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _connections = [];
    private long _stallAt = long.MaxValue;
    private int _stalled;

    public StallingHttpServer(string path)
    {
        _file = File.ReadAllBytes(path);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }

    /// <summary>The address of the file, with its extension (FFmpeg guesses nothing from it, but a reader may).</summary>
    public string Url(string name = "clip.mp4") => $"http://127.0.0.1:{Port}/{name}";

    public long Length => _file.Length;

    /// <summary>The first byte of the file no connection sends (from now on): <c>long.MaxValue</c> sends everything, 0 nothing.</summary>
    public long StallAt
    {
        get => Interlocked.Read(ref _stallAt);
        set => Interlocked.Exchange(ref _stallAt, value);
    }

    /// <summary>Connections that have stopped sending so far.</summary>
    public int Stalled => Volatile.Read(ref _stalled);

    private async Task AcceptLoop()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_connections) _connections.Add(socket);
                _ = Serve(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    private async Task Serve(Socket socket)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var request = await ReadHeader(stream);
            long start = 0;
            foreach (var line in request.Split("\r\n"))
                if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                    start = long.Parse(line["Range: bytes=".Length..].Split('-')[0], CultureInfo.InvariantCulture);
            start = Math.Min(start, _file.Length);
            string status = start > 0 ? "206 Partial Content" : "200 OK";
            string header = $"HTTP/1.1 {status}\r\nContent-Type: video/mp4\r\nAccept-Ranges: bytes\r\n" +
                $"Content-Length: {_file.Length - start}\r\n" +
                (start > 0 ? $"Content-Range: bytes {start}-{_file.Length - 1}/{_file.Length}\r\n" : "") + "\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token);
            for (long at = start; at < _file.Length; )
            {
                long stallAt = StallAt;
                if (at >= stallAt)
                {
                    Interlocked.Increment(ref _stalled);
                    await Task.Delay(Timeout.Infinite, _stop.Token); // the connection stays open, silent
                }
                int n = (int)Math.Min(Math.Min(16384, _file.Length - at), Math.Max(0, stallAt - at));
                await stream.WriteAsync(_file.AsMemory((int)at, n), _stop.Token);
                at += n;
            }
            await Task.Delay(Timeout.Infinite, _stop.Token); // keep-alive: the client closes
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException) { }
    }

    private static async Task<string> ReadHeader(NetworkStream stream)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("the client closed");
            text.Append((char)one[0]);
        }
        return text.ToString();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections) foreach (var s in _connections) s.Dispose();
    }
}
