#include "core/periodic.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace hrss {
namespace {

using std::chrono::milliseconds;

TEST(Periodic, RunsEveryIntervalUntilDestroyed) {
  std::atomic<int> runs{0};
  {
    Periodic p(milliseconds(5), [&] { ++runs; });
    for (int i = 0; i < 400 && runs < 3; ++i) std::this_thread::sleep_for(milliseconds(5));
    EXPECT_GE(runs, 3);
  }
  const int at_end = runs;
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(runs, at_end) << "ran after destruction";
}

TEST(Periodic, DestructionDoesNotWaitForTheInterval) {
  std::atomic<int> runs{0};
  const auto t0 = std::chrono::steady_clock::now();
  { Periodic p(std::chrono::hours(1), [&] { ++runs; }); }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(runs, 0);
}

TEST(Periodic, DestructionWaitsForARunInProgress) {
  std::atomic<bool> started{false}, finished{false};
  {
    Periodic p(milliseconds(1), [&] {
      if (started.exchange(true)) return;
      std::this_thread::sleep_for(milliseconds(100));
      finished = true;
    });
    while (!started) std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_TRUE(finished);
}

}  // namespace
}  // namespace hrss
