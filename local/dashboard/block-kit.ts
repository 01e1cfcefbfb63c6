/** Reading Block Kit JSON (which arrives as `unknown`) without casts. */

export const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && key in value ? Reflect.get(value, key) : undefined;

export const text = (value: unknown): string => {
  const t = field(value, "text");
  return typeof t === "string" ? t : typeof value === "string" ? value : "";
};

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export interface Button {
  actionId: string;
  label: string;
  style?: string;
}

/** The buttons of a message's `actions` blocks, as a reader can press them. */
export function buttonsOf(blocks: unknown[]): Button[] {
  return blocks.flatMap((block) =>
    list(field(block, "elements")).flatMap((e) => {
      const actionId = field(e, "action_id");
      if (field(e, "type") !== "button" || typeof actionId !== "string") return [];
      const style = field(e, "style");
      return [{ actionId, label: text(field(e, "text")), ...(typeof style === "string" ? { style } : {}) }];
    }),
  );
}

export interface ModalInput {
  blockId: string;
  label: string;
  optional: boolean;
}

/** A modal's inputs and its title and submit label. */
export function modalOf(view: unknown): { title: string; submit: string; inputs: ModalInput[] } {
  const inputs = list(field(view, "blocks")).flatMap((b) => {
    const blockId = field(b, "block_id");
    if (field(b, "type") !== "input" || typeof blockId !== "string") return [];
    return [{ blockId, label: text(field(b, "label")), optional: field(b, "optional") === true }];
  });
  return { title: text(field(view, "title")), submit: text(field(view, "submit")) || "Submit", inputs };
}
