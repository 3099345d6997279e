/* placeholder: implemented in progress */
typedef int gt_placeholder_render_text;
