#include "historyview.h"

#include "historymodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace pw::ui {

HistoryView::HistoryView(HistoryModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_status(new QComboBox(this))
    , m_more(new QPushButton(tr("Load &more"), this))
    , m_count(new QLabel(this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(HistoryModel::RawRole);
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(HistoryModel::Finished, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(HistoryModel::Target, QHeaderView::Stretch);
    m_table->setColumnWidth(HistoryModel::Image, 220);
    m_table->setAlternatingRowColors(true);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->addItem(tr("All finished pulls"), QStringLiteral("all"));
    m_status->addItem(tr("Completed"), QStringLiteral("completed"));
    m_status->addItem(tr("Failed"), QStringLiteral("failed"));
    m_more->setEnabled(false);
    m_more->setToolTip(tr("The next %1 older pulls").arg(kPageSize));

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_status);
    top->addWidget(m_count, 1);
    top->addWidget(m_more);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table);

    connect(m_status, &QComboBox::currentIndexChanged, this, &HistoryView::refresh);
    connect(m_more, &QPushButton::clicked, this, [this] {
        // The oldest row in the server's order (finished_at, then job_id): where the next page
        // starts.
        std::optional<core::PullJob> oldest;
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const core::PullJob &p = m_model->pullAt(row);
            if (!oldest || p.finishedAt < oldest->finishedAt ||
                (p.finishedAt == oldest->finishedAt && p.id < oldest->id))
                oldest = p;
        }
        if (oldest)
            Q_EMIT pageWanted(status(), *oldest);
    });
}

QString HistoryView::status() const {
    return m_status->currentData().toString();
}

std::optional<core::PullJob> HistoryView::pullAt(const QModelIndex &index) const {
    const QModelIndex source = m_proxy->mapToSource(index);
    if (!source.isValid())
        return std::nullopt;
    return m_model->pullAt(source.row());
}

void HistoryView::refresh() {
    Q_EMIT pageWanted(status(), core::PullJob());
}

void HistoryView::showPage(const QString &pageStatus, const QList<core::PullJob> &pulls,
                           bool firstPage) {
    if (pageStatus != status())
        return; // an answer for a filter no longer chosen
    QList<core::PullJob> rows;
    if (!firstPage)
        for (int row = 0; row < m_model->rowCount(); ++row)
            rows.append(m_model->pullAt(row));
    rows += pulls;
    m_model->setPulls(rows);
    m_more->setEnabled(pulls.size() >= kPageSize);
    m_count->setText(tr("%n pull(s) shown", nullptr, m_model->rowCount()));
}

} // namespace pw::ui
