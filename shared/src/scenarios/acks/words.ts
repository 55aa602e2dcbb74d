// Level 2's words, on top of the road's: its name, its story, its messages, offers and rules. Level 3
// (two-clients) plays the same protocol and uses these too (ackWords).
import { defineWords } from '../../words.ts';
import { roadWords } from '../../road/words.ts';

/** The acknowledgement protocol's words: messages, offers, what a seat holds, and its rules. */
export const ackWords = defineWords({
  en: {
    ...roadWords.en,
    'acks.msg.command': 'Command {op} ({command})',
    'acks.msg.numbered': 'Command #{seq} from {client}: {op}',
    'acks.msg.ack': 'Acknowledgement: {op} executed ({command})',
    'acks.msg.ackNumbered': 'Acknowledgement of #{seq} from {client}: {op} executed',
    'acks.msg.blind': 'Command {op} from {client}',
    'acks.msg.ackBlind': 'Acknowledgement to {client}: {op} executed',
    'acks.executedBlind': '{op} (from {client})',
    'acks.send': 'Send {op} to {to}',
    'acks.resend': 'Resend {op} to {to} (no acknowledgement yet)',
    'acks.resendDone': 'Resend {op} (acknowledged already)',
    'acks.note': '{server} acknowledged {op}: note it',
    'acks.execute': 'Execute {op} and acknowledge',
    'acks.ackOnly': 'Acknowledge without executing',
    'acks.ackAgain': 'Acknowledge #{seq} again (you executed {op} already)',
    'acks.executeAgain': 'Execute #{seq} ({op}) again',
    'acks.holds.waiting': 'Waiting for the acknowledgement of {op} from {servers}',
    'acks.holds.numbers': 'Numbers executed: {numbers}',
    'acks.settings.numbered': 'Commands carry sequence numbers',
    'acks.mission': 'Your mission: make a server execute a command twice (what if an acknowledgement never arrives?).',
    'rule.acks/no-such-command': 'Your script has no command at position {pos}.',
    'rule.acks/not-sent': 'You have not sent {command} yet: there is nothing to resend.',
    'rule.acks/wait-for-ack': 'Wait: {command} has not been acknowledged by {servers} yet. Send the next command only after every acknowledgement.',
    'rule.acks/already-acknowledged': 'Every server acknowledged {command} already: resending it can only make it run twice.',
    'rule.acks/executed-already': 'You executed number #{seq} from {client} already (messenger #{n} is a duplicate): acknowledge it again instead.',
    'rule.acks/ack-unexecuted': 'You have not executed the command of messenger #{n}: acknowledge only what you executed.',
  },
  zh: {
    ...roadWords.zh,
    'acks.msg.command': '命令 {op}（{command}）',
    'acks.msg.numbered': '来自 {client} 的 #{seq} 号命令：{op}',
    'acks.msg.ack': '确认：{op} 已执行（{command}）',
    'acks.msg.ackNumbered': '确认来自 {client} 的 #{seq} 号命令：{op} 已执行',
    'acks.msg.blind': '来自 {client} 的命令 {op}',
    'acks.msg.ackBlind': '发给 {client} 的确认：{op} 已执行',
    'acks.executedBlind': '{op}（来自 {client}）',
    'acks.send': '把 {op} 发给 {to}',
    'acks.resend': '把 {op} 重发给 {to}（还没有确认）',
    'acks.resendDone': '重发 {op}（已经确认过）',
    'acks.note': '{server} 确认了 {op}：记下它',
    'acks.execute': '执行 {op} 并确认',
    'acks.ackOnly': '不执行，直接确认',
    'acks.ackAgain': '再次确认 #{seq}（你已经执行过 {op}）',
    'acks.executeAgain': '再次执行 #{seq}（{op}）',
    'acks.holds.waiting': '等待 {servers} 对 {op} 的确认',
    'acks.holds.numbers': '已执行的序号：{numbers}',
    'acks.settings.numbered': '命令带序号',
    'acks.mission': '你的任务：让一台服务器把同一条命令执行两次（如果确认永远到不了呢？）。',
    'rule.acks/no-such-command': '你的脚本在位置 {pos} 没有命令。',
    'rule.acks/not-sent': '你还没有发送 {command}：没有可以重发的。',
    'rule.acks/wait-for-ack': '请等待：{servers} 还没有确认 {command}。收到所有确认之后才能发送下一条命令。',
    'rule.acks/already-acknowledged': '每台服务器都已确认 {command}：再发一次只会让它被执行两次。',
    'rule.acks/executed-already': '你已经执行过来自 {client} 的 #{seq} 号命令（信使 #{n} 是重复的）：请再次确认，而不是再执行。',
    'rule.acks/ack-unexecuted': '你没有执行信使 #{n} 带来的命令：只能确认你执行过的命令。',
  },
});

export const words = defineWords({
  en: {
    ...ackWords.en,
    'scenario.acks': 'Road 2: acknowledgements',
    'acks.brief':
      'The server acknowledges every command it executes. The client sends its next command only after the acknowledgement, and sends the same command again when none comes in time. Watch what happens when the valley captures an acknowledgement.',
    'acks.quiz.1': 'A server executed x+1 and its acknowledgement was captured. What could the client not know, and what did it do about it?',
    'acks.fix':
      'The fix: number the commands. A server executes each number once and acknowledges a duplicate again: exactly once. Next: two clients, two servers.',
    'acks.quiz.2': "How could a server tell a resent command from a new one that looks the same, like C1's second x+1?",
  },
  zh: {
    ...ackWords.zh,
    'scenario.acks': '第 2 关：带确认',
    'acks.brief':
      '服务器执行每条命令后都发回确认。客户端收到确认后才发送下一条命令；如果确认迟迟不来，就把同一条命令再发一次。看看当山谷抓住一个确认时会发生什么。',
    'acks.quiz.1': '服务器执行了 x+1，但它的确认被山谷抓住了。客户端无法知道什么？它又做了什么？',
    'acks.fix': '修正：给命令编号。服务器每个编号只执行一次，重复的只再确认一次——恰好一次。下一关：两个客户端、两台服务器。',
    'acks.quiz.2': '服务器怎样才能分辨重发的命令和一条看起来一样的新命令，比如 C1 的第二条 x+1？',
  },
});
