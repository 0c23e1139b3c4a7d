#pragma once

#include <QDialog>
#include <QStringList>
#include <QTimer>

class QDialogButtonBox;
class QJsonArray;
class QLabel;
class QPlainTextEdit;

namespace pw::ui {

// "Pull images": one reference per line (pasted lists welcome; blank lines and # comments
// are ignored), each validated as you type with the server's own rules
// (ImageReference::parse), bad lines marked with the reason.
class PullDialog : public QDialog {
    Q_OBJECT
public:
    explicit PullDialog(QWidget *parent = nullptr);

    void setText(const QString &text);
    QPlainTextEdit *editor() const { return m_edit; }
    // The references to start, as typed; empty unless every line is valid.
    QStringList references() const { return m_valid; }
    // "line N: why" for each bad line.
    QStringList problems() const { return m_problems; }
    bool canStart() const;
    // On the demo cluster: lists what its image names do, each example a link that adds it.
    void setDemoOutcomes(const QJsonArray &outcomes);
    QLabel *demoHint() const { return m_demoHint; }
    // The server's answer for `references` (POST /images/pull-preview rows, or why it would
    // refuse them): "will be copied to …" under the list. An answer for other references than
    // those now typed is ignored. A refusal (`refused`) keeps Start disabled.
    void showPreview(const QStringList &references, const QJsonArray &rows, const QString &error,
                     bool refused);
    QLabel *preview() const { return m_preview; }

Q_SIGNALS:
    // The valid references changed (and settled for a moment): ask the server where they go.
    void previewWanted(const QStringList &references);

private:
    void validate();

    QPlainTextEdit *m_edit;
    QLabel *m_report;
    QLabel *m_demoHint;
    QLabel *m_preview;
    QDialogButtonBox *m_buttons;
    QStringList m_valid;
    QStringList m_problems;
    QTimer m_previewDelay;
    QStringList m_previewed; // the references the shown preview is for
    bool m_refused = false;   // the server refuses m_previewed

};

} // namespace pw::ui
