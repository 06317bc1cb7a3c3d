using System.Diagnostics;
using MpegCoder.Tests.Infrastructure;
using Xunit;

namespace MpegCoder.Tests.Faults;

/// <summary>
/// Calls into the library on a thread of their own, so that a call that hangs fails its test (naming the
/// call and its bound) instead of hanging the test run; and the before/after check of what the process
/// holds open.
/// </summary>
public static class Bounded
{
    /// <summary>The slack every bound allows beyond the deadline the library was given.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <paramref name="call"/> and asserts it returned within <paramref name="bound"/>; returns its result
    /// and how long it took. An exception it throws is rethrown. A call still running at the bound is left
    /// on its (background) thread: the test fails and the run goes on.
    /// </summary>
    public static (T result, TimeSpan took) Call<T>(string what, TimeSpan bound, Func<T> call)
    {
        var started = Start(call);
        var clock = Stopwatch.StartNew();
        // A little longer than the bound, so a call that just misses it reports how long it took.
        bool done = started.Wait(bound + TimeSpan.FromSeconds(2));
        var took = clock.Elapsed;
        Assert.True(done, $"{what} did not return within {bound.TotalSeconds:0.#} s (still running after {took.TotalSeconds:0.#} s)");
        Assert.True(took <= bound, $"{what} returned after {took.TotalSeconds:0.00} s, past its bound of {bound.TotalSeconds:0.#} s");
        return (started.GetAwaiter().GetResult(), took);
    }

    public static TimeSpan Call(string what, TimeSpan bound, Action call) =>
        Call(what, bound, () => { call(); return true; }).took;

    /// <summary>Starts <paramref name="call"/> on a background thread of its own (not the pool: it may block for long).</summary>
    public static Task<T> Start<T>(Func<T> call)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { result.SetResult(call()); }
            catch (Exception e) { result.SetException(e); }
        }) { IsBackground = true, Name = "bounded call" };
        thread.Start();
        return result.Task;
    }

    /// <summary>The result of a task the test already saw complete (rethrowing what it threw).</summary>
    public static T Result<T>(Task<T> completed)
    {
        Debug.Assert(completed.IsCompleted);
        return completed.GetAwaiter().GetResult();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 20 ms; false after <paramref name="timeout"/>.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) return false;
            Thread.Sleep(20);
        }
        return true;
    }

    /// <summary>
    /// Asserts that the process's open fds and its connections to <paramref name="port"/> came back to
    /// <paramref name="before"/> (after a short settle), naming the files open when they did not.
    /// </summary>
    public static void Released(OpenResources before, int? port, string what)
    {
        var after = OpenResources.Settle(before, port);
        Assert.True(after.Connections <= before.Connections,
            $"{what}: {after.Connections} connection(s) to port {port} still open (before: {before.Connections})");
        Assert.True(after.FileDescriptors <= before.FileDescriptors,
            $"{what}: {after.FileDescriptors} fds open, {before.FileDescriptors} before; files now: {OpenResources.DescribeFiles()}");
    }
}
