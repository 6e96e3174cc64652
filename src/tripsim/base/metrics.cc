#include "tripsim/base/metrics.h"

#include <array>
#include <cstdio>

namespace tripsim {
namespace {

// Latency buckets (seconds) of every histogram: 0.5 ms to 10 s.
constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};

// The in-process families; the business figures are added by the dashboard at scrape time.
struct Declaration {
  const char* name;
  const char* type;
  const char* help;
};
constexpr std::array<Declaration, 5> kDeclared = {{
    {"tripsim_http_requests_total", "counter", "HTTP requests answered, by route and status."},
    {"tripsim_http_request_duration_seconds", "histogram",
     "Time from a complete request to its response, by route."},
    {"tripsim_emails_total", "counter", "Email delivery attempts by this instance, by result."},
    {"tripsim_webhook_deliveries_total", "counter",
     "Webhook delivery attempts by this instance, by result."},
    {"tripsim_smtp_send_duration_seconds", "histogram", "Time to hand one email to SMTP."},
}};

void AppendEscaped(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void AppendSample(std::string& out, const std::string& name, const MetricLabels& labels,
                  double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out += ',';
      out += labels[i].first;
      out += "=\"";
      AppendEscaped(out, labels[i].second);
      out += '"';
    }
    out += '}';
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.17g\n", value);
  out += buf;
}

std::string FormatBound(double bound) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", bound);
  return buf;
}

}  // namespace

std::string RenderMetrics(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const MetricFamily& f : families) {
    out += "# HELP " + f.name + " " + f.help + "\n";
    out += "# TYPE " + f.name + " " + f.type + "\n";
    for (const MetricSample& s : f.samples) AppendSample(out, f.name + s.suffix, s.labels, s.value);
  }
  return out;
}

Metrics& Metrics::Global() {
  static Metrics* metrics = new Metrics();  // never destroyed: workers may count at exit
  return *metrics;
}

Metrics::Metrics() {
  for (const Declaration& d : kDeclared) families_[d.name] = Family{d.help, d.type, {}, {}};
}

void Metrics::Add(std::string_view name, const MetricLabels& labels, double by) {
  MutexLock lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.counters[labels] += by;
}

void Metrics::Observe(std::string_view name, const MetricLabels& labels, double seconds) {
  MutexLock lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return;
  Histogram& h = it->second.histograms[labels];
  if (h.buckets.empty()) h.buckets.resize(kBuckets.size());
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      h.buckets[i] += 1;
      break;
    }
  }
  h.count += 1;
  h.sum += seconds;
}

std::vector<MetricFamily> Metrics::Snapshot() const {
  MutexLock lock(mu_);
  std::vector<MetricFamily> out;
  for (const auto& [name, f] : families_) {
    MetricFamily family{name, f.help, f.type, {}};
    for (const auto& [labels, value] : f.counters) family.samples.push_back({labels, value, ""});
    for (const auto& entry : f.histograms) {
      const MetricLabels& labels = entry.first;  // not a structured binding: the lambda uses it
      const Histogram& h = entry.second;
      auto bucket = [&](std::string le, uint64_t n) {
        MetricLabels l = labels;
        l.emplace_back("le", std::move(le));
        family.samples.push_back({std::move(l), static_cast<double>(n), "_bucket"});
      };
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.buckets[i];
        bucket(FormatBound(kBuckets[i]), cumulative);
      }
      bucket("+Inf", h.count);
      family.samples.push_back({labels, h.sum, "_sum"});
      family.samples.push_back({labels, static_cast<double>(h.count), "_count"});
    }
    out.push_back(std::move(family));
  }
  return out;
}

}  // namespace tripsim
