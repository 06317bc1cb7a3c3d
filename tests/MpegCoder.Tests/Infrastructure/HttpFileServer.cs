using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace MpegCoder.Tests.Infrastructure;

/// <summary>A real HTTP server (Debian's Python http.server) serving one folder on 127.0.0.1.</summary>
public sealed class HttpFileServer : IDisposable
{
    private readonly Process _process;

    public HttpFileServer(string folder)
    {
        ExternalTool.Require(RtspTestServer.Python, "python3");
        Folder = folder;
        Port = FreeTcpPort();
        _process = Process.Start(new ProcessStartInfo(RtspTestServer.Python)
        {
            ArgumentList = { "-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, Port.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !_process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    public string Folder { get; }
    public int Port { get; }

    /// <summary>The URL of <paramref name="file"/> in the served folder.</summary>
    public string Url(string file) => $"http://127.0.0.1:{Port}/{file}";

    internal static int FreeTcpPort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        ExternalTool.KillTree(_process);
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
