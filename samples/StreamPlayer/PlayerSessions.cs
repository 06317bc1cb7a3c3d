using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>
/// Every open player session (one per browser tab), and the background service that frees the ones
/// whose tab stopped asking for its status (closed without the page's close beacon getting through).
/// </summary>
public sealed class PlayerSessions : BackgroundService
{
    /// <summary>The page polls twice a second; a session unheard of for this long is gone.</summary>
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, PlayerSession> _sessions = new();

    public PlayerSession Create()
    {
        var session = new PlayerSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        _sessions[session.Id] = session;
        return session;
    }

    public PlayerSession? Find(string id) => _sessions.TryGetValue(id, out var s) ? s : null;

    public void Close(string id)
    {
        if (_sessions.TryRemove(id, out var s)) s.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var s in _sessions.Values.Where(s => s.Idle > IdleLimit).ToList())
                    Close(s.Id);
        }
        catch (OperationCanceledException)
        {
            // The app stops; Dispose below frees the rest.
        }
    }

    public override void Dispose()
    {
        foreach (var id in _sessions.Keys.ToList()) Close(id);
        base.Dispose();
    }
}
