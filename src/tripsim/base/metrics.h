// Metrics: process-wide counters and latency histograms, rendered in the Prometheus text
// exposition format (version 0.0.4). Families are declared once with their help text; every
// name starts with "tripsim_".
//
//   Metrics& m = Metrics::Global();
//   m.Add("tripsim_emails_total", {{"result", "sent"}});
//   m.Observe("tripsim_http_request_duration_seconds", {{"route", "/api/bookings"}}, 0.0012);
//   std::string text = m.Render();
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tripsim/base/mutex.h"

namespace tripsim {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

struct MetricSample {
  MetricLabels labels;
  double value = 0;
  std::string suffix;  // "_bucket", "_sum", "_count" for histograms; empty otherwise
};

// One sample family of the exposition: "# HELP", "# TYPE" and its samples.
struct MetricFamily {
  std::string name;
  std::string help;
  std::string type;  // "counter", "gauge" or "histogram"
  std::vector<MetricSample> samples;
};

// Renders families in the text format, escaping label values.
std::string RenderMetrics(const std::vector<MetricFamily>& families);

// One series of a counter, found once and then counted without a lock.
class CounterSeries {
 public:
  void Add(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// One series of a latency histogram (seconds), found once and then observed without a lock.
class HistogramSeries {
 public:
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  void Observe(double seconds);
  // Per-bucket counts (not cumulative), the number of observations and their sum.
  std::array<uint64_t, kBuckets.size()> buckets() const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<uint64_t>, kBuckets.size()> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

class Metrics {
 public:
  static Metrics& Global();

  // Adds `by` to the counter `name` with these labels (declared by DeclareCounter).
  void Add(std::string_view name, const MetricLabels& labels, double by = 1);
  // Records one observation, in seconds, in the histogram `name`.
  void Observe(std::string_view name, const MetricLabels& labels, double seconds);
  // The series of a declared family, for a hot path to keep: it lives as long as the process.
  // nullptr for an undeclared name.
  CounterSeries* Counter(std::string_view name, const MetricLabels& labels);
  HistogramSeries* Histogram(std::string_view name, const MetricLabels& labels);
  std::vector<MetricFamily> Snapshot() const;
  std::string Render() const { return RenderMetrics(Snapshot()); }

 private:
  struct Family {
    std::string help;
    std::string type;
    std::map<MetricLabels, std::unique_ptr<CounterSeries>> counters;
    std::map<MetricLabels, std::unique_ptr<HistogramSeries>> histograms;
  };
  Metrics();

  mutable Mutex mu_;
  std::map<std::string, Family, std::less<>> families_ GUARDED_BY(mu_);
};

}  // namespace tripsim
