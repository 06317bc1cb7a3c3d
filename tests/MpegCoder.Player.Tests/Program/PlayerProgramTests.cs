using System.Diagnostics;
using System.Text.RegularExpressions;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Player.Tests.Program;

/// <summary>The built player program as scripts/run-player.sh starts it: a process that prints its page address.</summary>
public class PlayerProgramTests
{
    [Fact]
    public async Task The_program_prints_its_page_address_and_serves_the_page_there()
    {
        string program = Path.Combine(Repository.Root, "samples", "StreamPlayer", "bin", Repository.Configuration, "net10.0", "StreamPlayer.dll");
        Assert.True(File.Exists(program), $"{program} is built with the solution");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { program, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && Regex.Match(line, @"^Player page:\s+(http://127\.0\.0\.1:\d+/)") is { Success: true } m)
                    address.TrySetResult(m.Groups[1].Value);
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            string page = await address.Task.WaitAsync(TimeSpan.FromSeconds(30));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string html = await http.GetStringAsync(page);
            Assert.Contains("<title>MpegCoder stream player</title>", html);
            Assert.Contains("id=\"address\"", html);
        }
        finally
        {
            ExternalTool.KillTree(process);
            process.WaitForExit(5000);
        }
    }
}
