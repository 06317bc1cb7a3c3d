using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using MpegCoder.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MpegCoder.Tests.Scripts;

/// <summary>
/// The scripts that start the live test server (serve-test-stream.sh, with-test-stream.sh,
/// run-sample.sh) leave nothing behind, whatever stops them: Ctrl-C (SIGINT to the process group),
/// `timeout` (SIGTERM to the group), a CI runner (SIGTERM to the script alone), or their own end. Each
/// run starts in a session of its own, so every process it started, at any depth, is found by its
/// session id; within a few seconds of the stop none is left and the RTSP port is free again.
/// </summary>
public class ScriptStopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Gone = TimeSpan.FromSeconds(6);

    public enum Stop { CtrlC, TimeoutCommand, SignalToScriptAlone }

    [Theory]
    [InlineData(Stop.CtrlC)]
    [InlineData(Stop.TimeoutCommand)]
    [InlineData(Stop.SignalToScriptAlone)]
    public void The_test_server_stops_with_all_its_processes(Stop stop)
    {
        using var run = ScriptRun.Start("serve-test-stream.sh", []);
        run.WaitForOutput("Serving ", TimeSpan.FromSeconds(60));
        run.StopWith(stop);
        run.AssertNothingLeft(Gone, output);
    }

    [Fact]
    public void The_test_server_serves_audio_when_asked_and_stops_with_it()
    {
        using var run = ScriptRun.Start("serve-test-stream.sh", [], environment: new() { ["AUDIO"] = "aac" });
        run.WaitForOutput("Serving ", TimeSpan.FromSeconds(60));
        Assert.Contains(" with aac audio at: ", run.Output);
        var r = ExternalTool.Run(ExternalTool.Require("ffprobe", "ffmpeg"), [
            "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000",
            "-show_entries", "stream=codec_type,codec_name,sample_rate", .. FfprobeSections.Format, run.Url,
        ], TimeSpan.FromSeconds(20));
        var streams = FfprobeSections.Parse(r.StdOutText, "stream");
        Assert.True(streams.Any(s => s.Field("codec_name") == "h264") &&
                    streams.Any(s => s.Field("codec_name") == "aac" && s.Field("sample_rate") == "48000"),
            $"expected h264 video and 48 kHz AAC audio: {r}\n{r.StdOutText}\n{run.Output}");
        run.StopWith(Stop.TimeoutCommand);
        run.AssertNothingLeft(Gone, output);
    }

    [Theory]
    [InlineData(Stop.TimeoutCommand)]
    [InlineData(Stop.SignalToScriptAlone)]
    public void With_test_stream_stops_the_command_and_the_server(Stop stop)
    {
        using var run = ScriptRun.Start("with-test-stream.sh", ["sleep", "600"]);
        run.WaitForOutput("Serving ", TimeSpan.FromSeconds(60));
        run.WaitForProcess("sleep 600", TimeSpan.FromSeconds(10));
        run.StopWith(stop);
        run.AssertNothingLeft(Gone, output);
    }

    [Fact]
    public void With_test_stream_stops_the_server_when_the_command_ends()
    {
        using var run = ScriptRun.Start("with-test-stream.sh", ["sh", "-c", "echo got {URL}; exit 3"]);
        Assert.Equal(3, run.WaitForExit(TimeSpan.FromSeconds(90)));
        Assert.Contains($"got rtsp://127.0.0.1:{run.Port}/video", run.Output);
        run.AssertNothingLeft(Gone, output);
    }

    [Fact]
    public void The_sample_run_stops_the_server_when_the_sample_ends()
    {
        using var run = ScriptRun.Start("run-sample.sh", [], sampleArguments: true);
        int exit = run.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, run.Output);
        Assert.Contains("batch 1: (5, 360, 480, 3)", run.Output);
        run.AssertNothingLeft(Gone, output);
    }

    [Fact]
    public void The_sample_run_stops_everything_on_sigterm_from_timeout()
    {
        // 10000 batches: the sample is still running when the signal comes.
        using var run = ScriptRun.Start("run-sample.sh", [], sampleArguments: true, batches: 10000);
        run.WaitForOutput("batch 0:", TimeSpan.FromMinutes(5));
        run.StopWith(Stop.TimeoutCommand);
        run.AssertNothingLeft(Gone, output);
    }

    /// <summary>One script started with setsid on a free port, its output collected.</summary>
    private sealed class ScriptRun : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ScriptRun(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public string Url => UrlOf(Port);

        private static string UrlOf(int port) => $"rtsp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/video";

        /// <summary>The script's process id, which is also its session id and process group id.</summary>
        public int Session => _process.Id;

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        public static ScriptRun Start(string script, IEnumerable<string> arguments, bool sampleArguments = false, int batches = 2,
            Dictionary<string, string>? environment = null)
        {
            int port = RtspTestServer.ReservePort(SocketType.Stream, ProtocolType.Tcp);
            string url = UrlOf(port);
            var args = new List<string> { "bash", Path.Combine(Repository.Root, "scripts", script) };
            args.AddRange(sampleArguments ? [url, batches.ToString(CultureInfo.InvariantCulture)] : arguments);
            var psi = ExternalTool.StartInfo(ExternalTool.Require("setsid", "util-linux"), args);
            psi.WorkingDirectory = Repository.Root;
            psi.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, value) in environment ?? [])
                psi.Environment[name] = value;
            var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {script}");
            var run = new ScriptRun(process, port);
            process.OutputDataReceived += (_, e) => run.Append(e.Data);
            process.ErrorDataReceived += (_, e) => run.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            // setsid calls setsid() and execs the script: one process, leading its own session and group.
            var clock = Stopwatch.StartNew();
            while (SessionOf(process.Id) is int session && session != process.Id)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(5)) Assert.Fail($"{script} is in session {session}, not in its own");
                Thread.Sleep(10);
            }
            return run;
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output) _output.AppendLine(line);
        }

        public void WaitForOutput(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited) Assert.Fail($"the script ended before printing '{text}':\n{Output}");
                if (clock.Elapsed > timeout) Assert.Fail($"no '{text}' within {timeout.TotalSeconds} s:\n{Output}");
                Thread.Sleep(100);
            }
        }

        public void WaitForProcess(string commandLine, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!Members().Any(m => m.commandLine == commandLine))
            {
                if (clock.Elapsed > timeout) Assert.Fail($"'{commandLine}' did not start:\n{Output}");
                Thread.Sleep(100);
            }
        }

        public int WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) Assert.Fail($"the script did not end within {timeout.TotalSeconds} s:\n{Output}");
            _process.WaitForExit(); // the output, to its end
            return _process.ExitCode;
        }

        public void StopWith(Stop stop)
        {
            switch (stop)
            {
                case Stop.CtrlC: Signals.ToGroup(Session, Signals.SIGINT); break;
                case Stop.TimeoutCommand: Signals.ToGroup(Session, Signals.SIGTERM); break;
                case Stop.SignalToScriptAlone: Signals.ToProcess(Session, Signals.SIGTERM); break;
            }
        }

        public void AssertNothingLeft(TimeSpan within, ITestOutputHelper output)
        {
            var clock = Stopwatch.StartNew();
            List<(int pid, string commandLine)> left;
            while ((left = Members()).Count > 0 && clock.Elapsed < within) Thread.Sleep(100);
            output.WriteLine($"session {Session}: {left.Count} process(es) left after {clock.Elapsed.TotalSeconds:F1} s\n{Output}");
            Assert.True(left.Count == 0, $"still running {within.TotalSeconds} s after the stop:\n{string.Join('\n', left)}\n{Output}");
            Assert.True(PortIsFree(), $"port {Port} is still taken");
        }

        /// <summary>Every living process of the run's session (zombies are gone already: they only wait to be reaped).</summary>
        private List<(int pid, string commandLine)> Members()
        {
            var members = new List<(int, string)>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                try
                {
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields[0] == "Z" || int.Parse(fields[3], CultureInfo.InvariantCulture) != Session) continue;
                    string commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                    members.Add((pid, commandLine));
                }
                catch (IOException) { } // ended meanwhile
            }
            return members;
        }

        private static int? SessionOf(int pid)
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return null;
            }
        }

        private bool PortIsFree()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(System.Net.IPAddress.Loopback, Port);
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }

        public void Dispose()
        {
            // Whatever the outcome, nothing of this run outlives the test.
            foreach (var (pid, _) in Members())
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }
}
