#include "failedpullsview.h"

#include "failedpullsmodel.h"
#include "pullformat.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace pw::ui {

FailedPullsView::FailedPullsView(FailedPullsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_details(new QTextBrowser(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_retry(new QPushButton(tr("&Retry"), this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(FailedPullsModel::RawRole);
    m_table->setObjectName(QStringLiteral("failedTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FailedPullsModel::Time, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(FailedPullsModel::Image,
                                                      QHeaderView::Stretch);
    m_table->setAlternatingRowColors(true);
    m_details->setObjectName(QStringLiteral("failedDetails"));
    m_details->setPlaceholderText(tr("Select a failed pull to see why it failed."));

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_details, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_retry);
    rightLayout->addLayout(buttons);
    m_retry->setEnabled(false);

    m_splitter->setObjectName(QStringLiteral("failedSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &FailedPullsView::onSelection);
    connect(m_retry, &QPushButton::clicked, this, [this] {
        const QString id = selectedJobId();
        if (!id.isEmpty())
            Q_EMIT retryRequested(id);
    });
}

void FailedPullsView::setCanOperate(bool canOperate) {
    m_retry->setVisible(canOperate);
}

QString FailedPullsView::selectedJobId() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(FailedPullsModel::JobIdRole).toString();
}

bool FailedPullsView::selectJob(const QString &jobId) {
    const int row = m_model->rowOf(jobId);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                 QItemSelectionModel::Rows);
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return true;
}

void FailedPullsView::onSelection() {
    const QString id = selectedJobId();
    m_retry->setEnabled(!id.isEmpty());
    if (id.isEmpty()) {
        m_shown.clear();
        m_details->clear();
        return;
    }
    if (id == m_shown)
        return;
    // The summary at once, the full detail (events, log tails) when it arrives.
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_details->setHtml(PullFormat::detailHtml(m_model->pullAt(row)));
    m_shown.clear();
    Q_EMIT detailWanted(id);
}

void FailedPullsView::showDetail(const core::PullJob &pull) {
    if (pull.id != selectedJobId())
        return;
    m_shown = pull.id;
    m_details->setHtml(PullFormat::detailHtml(pull));
}

std::optional<core::PullJob> FailedPullsView::pullAt(const QModelIndex &index) const {
    const QModelIndex source = m_proxy->mapToSource(index);
    if (!source.isValid())
        return std::nullopt;
    return m_model->pullAt(source.row());
}

} // namespace pw::ui
