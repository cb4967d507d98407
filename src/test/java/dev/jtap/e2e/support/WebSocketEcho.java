package dev.jtap.e2e.support;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Echoes text, binary and continuation frames as they arrive (fragmentation preserved). Pings
 * are answered and closes are completed by Netty's {@code WebSocketServerProtocolHandler};
 * unsolicited pongs are dropped.
 */
final class WebSocketEcho extends SimpleChannelInboundHandler<WebSocketFrame> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        WebSocketFrame reply = switch (frame) {
            case TextWebSocketFrame t -> new TextWebSocketFrame(t.isFinalFragment(), 0, t.content().retain());
            case BinaryWebSocketFrame b -> new BinaryWebSocketFrame(b.isFinalFragment(), 0, b.content().retain());
            case ContinuationWebSocketFrame c -> new ContinuationWebSocketFrame(c.isFinalFragment(), 0, c.content().retain());
            default -> null;
        };
        if (reply != null) {
            ctx.writeAndFlush(reply);
        }
    }
}
