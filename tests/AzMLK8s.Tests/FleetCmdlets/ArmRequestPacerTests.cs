using AzMLK8s.Engine.Azure;

namespace AzMLK8s.Tests.FleetCmdlets;

public sealed class ArmRequestPacerTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_429_with_Retry_After_pauses_every_request_of_its_kind_until_cancelled()
    {
        var pacer = new ArmRequestPacer();
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        pacer.Observe(write: true, 429, Headers(("Retry-After", "30")));
        using var stop = new CancellationTokenSource();

        var write = pacer.AcquireAsync(write: true, stop.Token).AsTask();
        Assert.False(write.IsCompleted);
        await pacer.AcquireAsync(write: false, CancellationToken.None).AsTask().WaitAsync(HangGuard);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(HangGuard));
    }

    [Fact]
    public void Every_call_to_one_subscription_shares_its_pacer_and_no_other_subscription_or_cloud_does()
    {
        // ARM's budget does not reset between cmdlet calls: a 429 seen by one call (or runspace) holds the next one too.
        var subscription = Guid.NewGuid().ToString();
        var pacer = ArmRequestPacer.For(new Uri("https://management.azure.com/"), subscription);

        Assert.Same(pacer, ArmRequestPacer.For(new Uri("https://MANAGEMENT.azure.com"), subscription.ToUpperInvariant()));
        Assert.NotSame(pacer, ArmRequestPacer.For(new Uri("https://management.azure.com/"), Guid.NewGuid().ToString()));
        Assert.NotSame(pacer, ArmRequestPacer.For(new Uri("https://management.usgovcloudapi.net/"), subscription));
    }

    [Fact]
    public async Task A_503_with_Retry_After_pauses_reads_and_writes()
    {
        var pacer = new ArmRequestPacer();
        await pacer.AcquireAsync(write: false, CancellationToken.None);
        pacer.Observe(write: false, 503, Headers(("Retry-After", "30")));
        using var stop = new CancellationTokenSource();

        var read = pacer.AcquireAsync(write: false, stop.Token).AsTask();
        var write = pacer.AcquireAsync(write: true, stop.Token).AsTask();
        Assert.False(read.IsCompleted);
        Assert.False(write.IsCompleted);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(HangGuard));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task A_spent_budget_lets_one_request_at_a_time_learn_when_it_is_back()
    {
        var pacer = new ArmRequestPacer();
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        pacer.Observe(write: true, 200, Headers((ArmRequestPacer.RemainingWritesHeader, "2")));
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        pacer.Observe(write: true, 200, Headers((ArmRequestPacer.RemainingWritesHeader, "0")));

        var held = pacer.AcquireAsync(write: true, CancellationToken.None).AsTask();
        Assert.False(held.IsCompleted);
        await pacer.AcquireAsync(write: false, CancellationToken.None).AsTask().WaitAsync(HangGuard);

        // The other write's answer: nothing in flight any more, so one request may go to learn the Retry-After.
        pacer.Observe(write: true, 200, Headers((ArmRequestPacer.RemainingWritesHeader, "0")));
        await held.WaitAsync(HangGuard);
        var next = pacer.AcquireAsync(write: true, CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);

        pacer.Observe(write: true, 429, Headers(("Retry-After", "0")));
        await next.WaitAsync(HangGuard);
    }

    [Fact]
    public async Task While_the_budget_is_unknown_one_request_goes_alone_and_its_answer_lets_the_others_go()
    {
        var pacer = new ArmRequestPacer();
        await pacer.AcquireAsync(write: true, CancellationToken.None);

        var second = pacer.AcquireAsync(write: true, CancellationToken.None).AsTask();
        var third = pacer.AcquireAsync(write: true, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        await pacer.AcquireAsync(write: false, CancellationToken.None).AsTask().WaitAsync(HangGuard);

        pacer.Observe(write: true, 201, Headers((ArmRequestPacer.RemainingWritesHeader, "10")));
        await Task.WhenAll(second, third).WaitAsync(HangGuard);
    }

    [Fact]
    public async Task An_answer_without_the_budget_header_still_lets_the_others_go_and_a_lost_answer_lets_the_next_one_try()
    {
        var pacer = new ArmRequestPacer();
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        var held = pacer.AcquireAsync(write: true, CancellationToken.None).AsTask();

        // No answer at all (a dropped connection): nothing learned, but the next request may go to learn it.
        pacer.Observe(write: true, 0, Headers());
        await held.WaitAsync(HangGuard);
        var next = pacer.AcquireAsync(write: true, CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);

        // An answer that reports no budget: nothing is known to be spent, so everything goes.
        pacer.Observe(write: true, 200, Headers());
        await next.WaitAsync(HangGuard);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(pacer.AcquireAsync(write: true, CancellationToken.None).IsCompleted);
        }
    }

    [Fact]
    public async Task After_a_pause_one_request_learns_the_budget_again_before_the_held_ones_go()
    {
        var pacer = new ArmRequestPacer();
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        pacer.Observe(write: true, 200, Headers((ArmRequestPacer.RemainingWritesHeader, "5")));
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        pacer.Observe(write: true, 429, Headers(("Retry-After", "0")));

        await pacer.AcquireAsync(write: true, CancellationToken.None).AsTask().WaitAsync(HangGuard);
        var held = pacer.AcquireAsync(write: true, CancellationToken.None).AsTask();
        Assert.False(held.IsCompleted);

        pacer.Observe(write: true, 201, Headers((ArmRequestPacer.RemainingWritesHeader, "3")));
        await held.WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Remaining_budget_lets_requests_go_at_once()
    {
        var pacer = new ArmRequestPacer();
        await pacer.AcquireAsync(write: true, CancellationToken.None);
        pacer.Observe(write: true, 200, Headers((ArmRequestPacer.RemainingWritesHeader, "3")));

        for (var i = 0; i < 3; i++)
        {
            Assert.True(pacer.AcquireAsync(write: true, CancellationToken.None).IsCompleted);
        }

        Assert.False(pacer.AcquireAsync(write: true, CancellationToken.None).IsCompleted);
    }

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers) =>
        name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
