#include "activepullsview.h"

#include "activepullsmodel.h"
#include "progressdelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace pw::ui {

ActivePullsView::ActivePullsView(ActivePullsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_cancel(new QPushButton(tr("&Cancel pull"), this)) {
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(ActivePullsModel::RawRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);
    m_table->setObjectName(QStringLiteral("activeTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ActivePullsModel::Age, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setItemDelegateForColumn(ActivePullsModel::Progress,
                                      new ProgressDelegate(ActivePullsModel::StatusRole, this));
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(ActivePullsModel::Message,
                                                      QHeaderView::Stretch);
    m_table->setColumnWidth(ActivePullsModel::Image, 220);
    m_table->setColumnWidth(ActivePullsModel::Progress, 160);
    m_table->setAlternatingRowColors(true);

    m_filter->setObjectName(QStringLiteral("activeFilter"));
    m_filter->setPlaceholderText(tr("Filter by image, tag, stage or node"));
    m_filter->setClearButtonEnabled(true);
    m_pull = new QPushButton(tr("&Pull images…"), this);
    m_cancel->setEnabled(false);
    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_pull);
    top->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table);

    m_confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Cancel pull"), question) == QMessageBox::Yes;
    };
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_cancel, &QPushButton::clicked, this, &ActivePullsView::cancelSelected);
    connect(m_pull, &QPushButton::clicked, this, &ActivePullsView::pullRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_cancel->setEnabled(!selectedJobId().isEmpty()); });
}

void ActivePullsView::setFilterText(const QString &text) {
    m_filter->setText(text);
}

void ActivePullsView::focusFilter() {
    m_filter->setFocus();
    m_filter->selectAll();
}

QString ActivePullsView::selectedJobId() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ActivePullsModel::JobIdRole).toString();
}

void ActivePullsView::setCanOperate(bool canOperate) {
    m_canOperate = canOperate;
    m_pull->setVisible(canOperate);
    m_cancel->setVisible(canOperate);
}

void ActivePullsView::cancelSelected() {
    cancelPull(selectedJobId());
}

void ActivePullsView::cancelPull(const QString &jobId) {
    if (jobId.isEmpty() || !m_canOperate)
        return;
    const int row = m_model->rowOf(jobId);
    const QString image = row >= 0 ? m_model->pullAt(row).imageReference() : jobId;
    if (m_confirm(tr("Cancel the pull of %1 (%2)? Its Job is deleted.").arg(image, jobId)))
        Q_EMIT cancelRequested(jobId);
}

std::optional<core::PullJob> ActivePullsView::pullAt(const QModelIndex &index) const {
    const QModelIndex source = m_proxy->mapToSource(index);
    if (!source.isValid())
        return std::nullopt;
    return m_model->pullAt(source.row());
}

} // namespace pw::ui
