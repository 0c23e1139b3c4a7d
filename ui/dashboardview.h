#pragma once

#include "metricssnapshot.h"
#include "ratehistory.h"

#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace pw::ui {

// A small dashboard: pulls completed and failed per minute over the last hour (from the
// server's counters in /metrics) and log lines per second in the log view, as Qt Charts.
class DashboardView : public QWidget {
    Q_OBJECT
public:
    explicit DashboardView(QWidget *parent = nullptr);

    void addMetrics(const MetricsSnapshot &metrics, qint64 nowMs);
    void addLogLines(qint64 lines, qint64 nowMs);
    // Redraws the series from the histories (once a second, and when shown).
    void redraw(qint64 nowMs);
    const RateHistory &completed() const { return m_completed; }
    const RateHistory &failed() const { return m_failed; }
    const RateHistory &logLines() const { return m_logLines; }

private:
    QChartView *makeChart(const QString &title, QList<QLineSeries *> series, QDateTimeAxis **x,
                          QValueAxis **y);

    RateHistory m_completed{60'000, 3'600'000};
    RateHistory m_failed{60'000, 3'600'000};
    RateHistory m_logLines{1000, 300'000};
    QLineSeries *m_completedSeries;
    QLineSeries *m_failedSeries;
    QLineSeries *m_linesSeries;
    QDateTimeAxis *m_pullsX = nullptr;
    QValueAxis *m_pullsY = nullptr;
    QDateTimeAxis *m_linesX = nullptr;
    QValueAxis *m_linesY = nullptr;
    QLabel *m_summary;
};

} // namespace pw::ui
