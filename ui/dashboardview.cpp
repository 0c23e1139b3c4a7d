#include "dashboardview.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace pw::ui {

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent)
    , m_completedSeries(new QLineSeries(this))
    , m_failedSeries(new QLineSeries(this))
    , m_linesSeries(new QLineSeries(this))
    , m_summary(new QLabel(this)) {
    m_completedSeries->setName(tr("completed / min"));
    m_completedSeries->setColor(QColor(0x27, 0xae, 0x60));
    m_failedSeries->setName(tr("failed / min"));
    m_failedSeries->setColor(QColor(0xc0, 0x39, 0x2b));
    m_linesSeries->setName(tr("log lines / s"));
    m_linesSeries->setColor(QColor(0x2e, 0x6d, 0xb4));
    m_summary->setObjectName(QStringLiteral("dashboardSummary"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(makeChart(tr("Pulls over the last hour"), {m_completedSeries, m_failedSeries},
                                &m_pullsX, &m_pullsY),
                      1);
    layout->addWidget(makeChart(tr("Log lines per second (last 5 minutes)"), {m_linesSeries},
                                &m_linesX, &m_linesY),
                      1);
    m_pullsX->setFormat(QStringLiteral("HH:mm"));
    m_linesX->setFormat(QStringLiteral("HH:mm:ss"));
    redraw(QDateTime::currentMSecsSinceEpoch());
}

QChartView *DashboardView::makeChart(const QString &title, QList<QLineSeries *> series,
                                     QDateTimeAxis **x, QValueAxis **y) {
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    *x = new QDateTimeAxis(chart);
    *y = new QValueAxis(chart);
    (*y)->setLabelFormat(QStringLiteral("%.0f"));
    (*y)->setMin(0);
    chart->addAxis(*x, Qt::AlignBottom);
    chart->addAxis(*y, Qt::AlignLeft);
    for (QLineSeries *s : series) {
        chart->addSeries(s);
        s->attachAxis(*x);
        s->attachAxis(*y);
    }
    auto *view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    return view;
}

void DashboardView::addMetrics(const MetricsSnapshot &m, qint64 nowMs) {
    if (m.pullsCompleted >= 0)
        m_completed.addCounter(nowMs, m.pullsCompleted);
    if (m.pullsFailed >= 0)
        m_failed.addCounter(nowMs, m.pullsFailed);
}

void DashboardView::addLogLines(qint64 lines, qint64 nowMs) {
    m_logLines.add(nowMs, double(lines));
}

void DashboardView::redraw(qint64 nowMs) {
    auto fill = [](QLineSeries *s, const QList<QPointF> &points, double *maxY) {
        s->replace(points);
        for (const QPointF &p : points)
            *maxY = qMax(*maxY, p.y());
    };
    double pullsMax = 1;
    fill(m_completedSeries, m_completed.points(nowMs), &pullsMax);
    fill(m_failedSeries, m_failed.points(nowMs), &pullsMax);
    m_pullsX->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - m_completed.spanMs()),
                       QDateTime::fromMSecsSinceEpoch(nowMs));
    m_pullsY->setMax(std::ceil(pullsMax * 1.2));
    // Lines per second: the bucket is a second, so the count is the rate.
    double linesMax = 10;
    fill(m_linesSeries, m_logLines.points(nowMs), &linesMax);
    m_linesX->setRange(QDateTime::fromMSecsSinceEpoch(nowMs - m_logLines.spanMs()),
                       QDateTime::fromMSecsSinceEpoch(nowMs));
    m_linesY->setMax(std::ceil(linesMax * 1.2));
    const QList<QPointF> recent = m_logLines.points(nowMs);
    const double lastRate = recent.size() >= 2 ? recent[recent.size() - 2].y() : 0;
    m_summary->setText(
        tr("<b>Last hour:</b> %1 completed, %2 failed &nbsp;&nbsp; <b>Log lines:</b> %3/s")
            .arg(m_completed.total(nowMs))
            .arg(m_failed.total(nowMs))
            .arg(lastRate));
}

} // namespace pw::ui
