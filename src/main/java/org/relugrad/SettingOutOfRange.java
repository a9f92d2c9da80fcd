package org.relugrad;

/**
 * A setting of a pass out of its range, said in the problem's words ("partitions must be from 1 to 100000, or 0
 * for Spark's default parallelism; was -1"); a caller that knows the setting by another name (cli/: its flag) says it with {@link #message}.
 */
public final class SettingOutOfRange extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The settings of a pass, each with its name in the problem's words. */
    public enum Setting {
        PARTITIONS("partitions"), BLOCK_ROWS("rows per block");

        private final String words;

        Setting(String words) {
            this.words = words;
        }
    }

    private final Setting setting;
    private final String template;

    /** @param template the message, with {@code {}} where the setting's name goes (once or more) */
    public SettingOutOfRange(Setting setting, String template) {
        super(template.replace("{}", setting.words));
        this.setting = setting;
        this.template = template;
    }

    public Setting setting() {
        return setting;
    }

    /** The message with {@code name} for the setting, such as a command's option. */
    public String message(String name) {
        return template.replace("{}", name);
    }
}
