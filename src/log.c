/* placeholder: implemented in progress */
typedef int gt_placeholder_log;
