// Metrics: process-wide counters and latency histograms, rendered in the Prometheus text
// exposition format (version 0.0.4). Families are declared once with their help text; every
// name starts with "tripsim_".
//
//   Metrics& m = Metrics::Global();
//   m.Add("tripsim_emails_total", {{"result", "sent"}});
//   m.Observe("tripsim_http_request_duration_seconds", {{"route", "/api/bookings"}}, 0.0012);
//   std::string text = m.Render();
#pragma once

#include <map>
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

class Metrics {
 public:
  static Metrics& Global();

  // Adds `by` to the counter `name` with these labels (declared by DeclareCounter).
  void Add(std::string_view name, const MetricLabels& labels, double by = 1);
  // Records one observation, in seconds, in the histogram `name`.
  void Observe(std::string_view name, const MetricLabels& labels, double seconds);
  std::vector<MetricFamily> Snapshot() const;
  std::string Render() const { return RenderMetrics(Snapshot()); }

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative counts are computed when rendering
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string help;
    std::string type;
    std::map<MetricLabels, double> counters;
    std::map<MetricLabels, Histogram> histograms;
  };
  Metrics();

  mutable Mutex mu_;
  std::map<std::string, Family, std::less<>> families_ GUARDED_BY(mu_);
};

}  // namespace tripsim
