// Level 1's words, on top of the road's: its name, its story and its one message.
import { defineWords } from '../../words.ts';
import { roadWords } from '../../road/words.ts';

export const words = defineWords({
  en: {
    ...roadWords.en,
    'scenario.naive': 'Road 1: naive client and server',
    'naive.brief':
      'The client sends its commands one after the other and considers each one done once it is sent. The server executes whatever reaches it, in the order it arrives. Watch what happens when the valley captures a command.',
    'naive.msg.command': 'Command {op} ({command})',
    'naive.send': 'Send {op} to {to}',
    'naive.quiz.1': 'Could the client tell a captured command from a slow one? What did it see in each case?',
    'naive.fix':
      'The fix, in the next level: the server acknowledges every command; the client sends its next one only after the acknowledgement, and sends again when none comes in time.',
    'naive.quiz.2': 'What would the server have to send back so that the client knows a command arrived?',
  },
  zh: {
    ...roadWords.zh,
    'scenario.naive': '第 1 关：朴素客户端/服务器',
    'naive.brief': '客户端一条接一条地发送命令，发出去就认为完成了。服务器执行到达的任何命令，按到达的顺序。看看当山谷抓住一条命令时会发生什么。',
    'naive.msg.command': '命令 {op}（{command}）',
    'naive.send': '把 {op} 发给 {to}',
    'naive.quiz.1': '客户端能分辨命令是被抓了还是只是慢了吗？两种情况下它各看到了什么？',
    'naive.fix': '下一关的修正：服务器确认每条命令；客户端收到确认后才发送下一条，迟迟没有确认就重发。',
    'naive.quiz.2': '服务器需要回送什么，客户端才能知道命令已经到达？',
  },
});
