// The kiosk's on-screen keyboard: Qt Virtual Keyboard (pinyin + English) docked in the window.
// Hosted by ui/widgets/keyboard.py in a QQuickWidget; the helper functions let Python drive
// the input engine (tests, demos) and read the pinyin candidates.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    // Height the keyboard needs at the current width (the host widget follows it).
    property int panelHeight: inputPanel.height
    property bool inputActive: inputPanel.active
    property string currentLocale: InputContext.locale
    property var wantedLocales: ["zh_CN", "en_GB"]
    property string wantedLocale: "zh_CN"

    InputPanel {
        id: inputPanel
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }

    function applyLocales() {
        VirtualKeyboardSettings.activeLocales = wantedLocales
        VirtualKeyboardSettings.locale = wantedLocale
    }

    function setLocale(name) {
        wantedLocale = name
        VirtualKeyboardSettings.locale = name
    }

    // Press keys as a finger would: letters go to the pinyin engine, others as typed.
    function typeText(text) {
        for (var i = 0; i < text.length; i++) {
            var ch = text.charAt(i)
            var up = ch.toUpperCase()
            var key = (up >= "A" && up <= "Z") ? Qt.Key_A + (up.charCodeAt(0) - 65)
                                               : ch.charCodeAt(0)
            InputContext.inputEngine.virtualKeyClick(key, ch, 0)
        }
    }

    function pressBackspace() {
        InputContext.inputEngine.virtualKeyClick(Qt.Key_Backspace, "", 0)
    }

    function candidates() {
        var model = InputContext.inputEngine.wordCandidateListModel
        var out = []
        if (!model)
            return out
        for (var i = 0; i < model.count; i++)
            out.push(model.dataAt(i, SelectionListModel.Role.Display))
        return out
    }

    function selectCandidate(index) {
        var model = InputContext.inputEngine.wordCandidateListModel
        if (model && index >= 0 && index < model.count)
            model.selectItem(index)
    }

    function preeditText() {
        return InputContext.preeditText
    }

    Component.onCompleted: applyLocales()
}
